"""``bench/scale.py``, issue 11's benchmark, runs end to end on a tiny corpus.

The figures are the benchmark's business, not a test's: this checks that the
script still drives the bot as it is wired (a build, a search run, a live
update) and leaves its cached corpus as it found it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "scale.py"
ARTICLES = 40


def _scale(cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(SCRIPT), "--sizes", str(ARTICLES), "--cache", str(cache)]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=300, cwd=cache)


def test_scale_bench_measures_build_search_and_live_update_and_restores_the_corpus(
    tmp_path: Path,
) -> None:
    out = _scale(tmp_path, "--steps", "build,search,live")

    assert out.returncode == 0, out.stderr
    # The summary's heading, then its row (the |---| rule does not start with "| ").
    table = [line for line in out.stdout.splitlines() if line.startswith("| ")]
    head, row = (line.strip("|").split("|") for line in (table[0], table[1]))
    cells = {h.strip(): c.strip() for h, c in zip(head, row, strict=True)}
    assert cells["full build"].endswith(" s") and cells["build per article"].endswith(" ms")
    assert cells["search p50"].endswith(" ms") and cells["serving memory"].endswith("B")
    assert cells["added article answerable"].endswith(" s")  # not "timed out"
    assert cells["deleted article gone"].endswith(" s")
    assert cells["cached one-shot ask"] == cells["rank-bm25 p50 / ours"] == "-"  # not asked for
    corpus = sorted(p.name for p in (tmp_path / f"c{ARTICLES}").iterdir())
    assert corpus == [f"{n:06d}.txt" for n in range(ARTICLES)]  # the live article is gone
    assert not (tmp_path / "data" / f"off-c{ARTICLES}").exists()  # no --keep


def test_scale_bench_rejects_an_unknown_step_naming_the_valid_ones(tmp_path: Path) -> None:
    out = _scale(tmp_path, "--steps", "build,warmup")

    assert out.returncode == 2
    assert "expected some of build,ask,search,rank,live" in out.stderr
