"""Issue 11's benchmark: build, cached ask, search and live updates at 20,000-200,000 articles.

For each size, on a synthetic corpus of ~600-word articles (bench/synthetic.py,
kept in a cache folder so reruns reuse it), each measurement in a fresh process
so that timings and peak memory are not shared, with the embedding models off
as the issue's own table was measured (``--models bundled`` runs them on):

1. build: a full build on an empty data dir (wall and CPU time of the process
   and its children, peak memory, cache size on disk, ms per article);
2. ask: the real ``teambot ask`` on the cache, median of 5;
3. search: ``bot.search(q, k=5)`` for 1,000 queries (p50/p99), serving memory;
4. rank: rank-bm25 on the same corpus, per query on a sample (skipped above
   ``--rank-bm25-max`` articles), and how many times slower it is than ours;
5. live: a running app picks up an added article, then forgets it once deleted.

Memory is in GB of 10^9 bytes; the targets are the issue's, set for 200,000 articles.
The measurements run in child processes (``bench/scale_children.py``); the figures
are laid out against the targets by ``bench/scale_report.py``.

    python bench/scale.py [--sizes 20000,100000,200000] [--steps build,ask,search,rank,live]
        [--models off|bundled] [--rank-bm25-max N] [--cache DIR] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale_children import CHILDREN  # noqa: E402
from scale_report import ASKS, print_size, summary  # noqa: E402
from synthetic import queries, write_corpus  # noqa: E402

STEPS = ("build", "ask", "search", "rank", "live")
#: Queries timed per search run: the issue's p50/p99 are over 1,000.
SEARCHES = 1_000
#: rank-bm25 scores every passage for each query (seconds each at 20,000 articles).
RANK_QUERIES = 20


def ensure_corpus(cache: Path, size: int) -> tuple[Path, list[str]]:
    """The cached corpus of ``size`` articles (written first if missing) and its vocabulary.

    The vocabulary file beside it is written last: a corpus without one was cut short.
    """
    corpus, done = cache / f"c{size}", cache / f"c{size}.vocab.json"
    if corpus.is_dir() and done.is_file():
        return corpus, json.loads(done.read_text())
    partial = cache / f"c{size}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(corpus, ignore_errors=True)
    print(f"writing {size:,} synthetic articles to {corpus} ...", flush=True)
    started = time.perf_counter()
    vocab = write_corpus(partial, size)
    partial.rename(corpus)
    done.write_text(json.dumps(vocab))
    print(f"  written in {time.perf_counter() - started:.0f} s", flush=True)
    return corpus, vocab


def _disk_bytes(folder: Path) -> int:
    """What ``du`` reports: allocated blocks, not apparent sizes."""
    return sum(p.lstat().st_blocks * 512 for p in folder.rglob("*"))


def _biggest(folder: Path) -> tuple[str, int, int] | None:
    """The largest file's identity: it changes when the index cache is rewritten."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    if not files:
        return None
    big = max(files, key=lambda p: p.stat().st_size)
    return str(big), big.stat().st_ino, big.stat().st_mtime_ns


def _env(models: str, data: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEAMBOT_")}
    env["TEAMBOT_EMBED_MODEL"] = env["TEAMBOT_RERANK_MODEL"] = models
    if data is not None:
        env["TEAMBOT_DATA_DIR"] = str(data)
    return env


@dataclass(frozen=True, slots=True)
class Size:
    """One size's corpus, data dir and queries, and the run's options."""

    articles: int
    corpus: Path
    data: Path
    questions: tuple[str, ...]
    args: argparse.Namespace

    def child(self, name: str, *more: Any, data: Path | None = None) -> dict[str, Any]:
        """Runs step ``name`` in a fresh interpreter; its result is its last output line."""
        given = [str(self.corpus), str(data or self.data), self.args.models, *more]
        out = subprocess.run(
            [sys.executable, __file__, "--child", name],
            input=json.dumps(given),
            capture_output=True,
            text=True,
            env=_env(self.args.models),
            cwd=self.args.cache,  # away from any .env file
        )
        if out.returncode:
            sys.exit(f"the {name} step failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
        return result


def step_build(size: Size) -> dict[str, Any]:
    shutil.rmtree(size.data, ignore_errors=True)
    built = size.child("build")
    peak = max(built["rss_b"], built["child_rss_b"], built["tree_b"])
    per_article = built["build_s"] * 1e3 / size.articles
    return built | {"build_peak_b": peak, "disk_b": _disk_bytes(size.data), "per_ms": per_article}


def step_ask(size: Size) -> dict[str, Any]:
    """Wall time of the real one-shot command line on the cached index."""
    teambot = Path(sys.executable).parent / "teambot"
    command = [str(teambot)] if teambot.exists() else [sys.executable, "-m", "bot"]
    question = f"What happened with {size.questions[0]}?"
    command += ["ask", question, "--corpus", str(size.corpus)]
    env = _env(size.args.models, size.data)
    times = []
    for _ in range(ASKS):
        started = time.perf_counter()
        out = subprocess.run(command, env=env, cwd=size.args.cache, capture_output=True)
        times.append(time.perf_counter() - started)
        if out.returncode:
            sys.exit(f"teambot ask failed (exit {out.returncode}):\n{out.stderr.decode()[-3000:]}")
    return {"ask_s": statistics.median(times), "ask_min_s": min(times), "ask_max_s": max(times)}


def step_search(size: Size) -> dict[str, Any]:
    return size.child("search", size.questions)


def step_rank(size: Size) -> dict[str, Any]:
    if size.articles > size.args.rank_bm25_max:
        return {"rank_skipped": True}
    data = size.data.with_name(f"rank-bm25-{size.data.name}")
    shutil.rmtree(data, ignore_errors=True)
    try:
        rank = size.child("search", size.questions[:RANK_QUERIES], "rank-bm25", data=data)
    finally:
        if not size.args.keep:
            shutil.rmtree(data, ignore_errors=True)
    return {f"rank_{key}": value for key, value in rank.items()}


def step_live(size: Size) -> dict[str, Any]:
    word = "".join(random.SystemRandom().choices("bcdfghjklmnpqrstvwxz", k=12))
    added = size.corpus / f"scale-live-{word}.txt"
    try:
        return size.child("live", str(added))
    finally:
        added.unlink(missing_ok=True)  # also when the step failed or was interrupted


def measure(articles: int, args: argparse.Namespace) -> dict[str, Any]:
    """Every selected step at one size; returns the figures by name."""
    corpus, vocab = ensure_corpus(args.cache, articles)
    data = args.cache / "data" / f"{args.models}-c{articles}"
    size = Size(articles, corpus, data, tuple(queries(vocab, SEARCHES)), args)
    r: dict[str, Any] = {"size": articles}
    if "build" in args.steps:
        r |= step_build(size)
    elif not data.is_dir():
        print("  (no cached index yet: building one, not measured)", flush=True)
        step_build(size)
    before = _biggest(data)
    for name, step in (("ask", step_ask), ("search", step_search), ("rank", step_rank)):
        if name in args.steps:
            r |= step(size)
    if _biggest(data) != before:
        r["rebuilt"] = True  # the code changed under us, or the cache did not fit the corpus
    if "live" in args.steps:
        r |= step_live(size)
    if "p50_ms" in r and "rank_p50_ms" in r:
        r["ratio"] = r["rank_p50_ms"] / r["p50_ms"]
    if not args.keep:
        shutil.rmtree(data, ignore_errors=True)
    return r


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected numbers such as 20000,100000: {text!r}"
        ) from None
    if min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"expected positive numbers of articles: {text!r}")
    return sizes


def _steps(text: str) -> set[str]:
    steps = {part.strip() for part in text.split(",")}
    if not steps <= set(STEPS):
        raise argparse.ArgumentTypeError(f"expected some of {','.join(STEPS)}: {text!r}")
    return steps


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(CHILDREN[sys.argv[2]](*json.loads(sys.stdin.read()))))
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=[20_000, 100_000, 200_000])
    parser.add_argument("--steps", type=_steps, default=set(STEPS), help=",".join(STEPS))
    parser.add_argument("--models", choices=("off", "bundled"), default="off")
    parser.add_argument("--rank-bm25-max", type=int, default=20_000, metavar="N")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir(), "teambot-scale"))
    parser.add_argument("--keep", action="store_true", help="keep the data dirs (index caches)")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    print(f"steps {','.join(s for s in STEPS if s in args.steps)}; models {args.models}")
    results = []
    for articles in args.sizes:
        results.append(measure(articles, args))
        print_size(results[-1])
    print("\n" + summary(results, args.models))


if __name__ == "__main__":
    main()
