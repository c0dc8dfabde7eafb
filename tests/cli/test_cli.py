"""The command line, run as a user runs it: exit codes, JSON and batch mode."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.service import TeamBot
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def data_dir(
    tmp_path_factory: pytest.TempPathFactory, seeds_bot: TeamBot, seeds_data: Path
) -> Path:
    """The module's data directory, starting from the seeds' index cache (see
    ``cached_index``): every run here loads it, none pays for a build."""
    data = tmp_path_factory.mktemp("cli-data")
    shutil.copytree(seeds_data / "index", data / "index")
    return data


def run(
    *args: str, data_dir: Path, stdin: str | None = None, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("TEAMBOT_")}
    environ.update({"TEAMBOT_DATA_DIR": str(data_dir), **env})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environ,
        cwd=cwd,
        timeout=120,
    )


def test_ask_answers_with_sources(data_dir: Path) -> None:
    out = run("ask", "How many parameters does RynnBrain have?", data_dir=data_dir)
    assert out.returncode == 0, out.stderr
    assert "30-billion-parameter" in out.stdout
    assert "Sources:" in out.stdout and "[1] China's Spring Festival AI Blitz" in out.stdout
    assert out.stderr == ""


def test_ask_json_schema(data_dir: Path) -> None:
    out = run("ask", "Who is Billy Boman?", "--json", data_dir=data_dir)
    assert out.returncode == 0
    obj = json.loads(out.stdout)
    assert list(obj) == [
        "question",
        "answered",
        "answer",
        "citations",
        "confidence",
        "related",
        "searched_for",
    ]
    assert 0.0 <= obj["confidence"] <= 1.0
    assert obj["question"] == "Who is Billy Boman?" and obj["answered"] is True
    citation = obj["citations"][0]
    assert list(citation) == ["article_id", "title", "url", "source", "published", "quote"]
    assert citation["article_id"] == "000_09cf094f17e455b4"
    assert citation["published"] == "2026-02-14"
    assert "advertising agency" in citation["quote"] and citation["quote"] in obj["answer"]


def test_ask_json_abstains_off_topic(data_dir: Path) -> None:
    out = run("ask", "What's the weather in Paris tomorrow?", "--json", data_dir=data_dir)
    obj = json.loads(out.stdout)
    assert out.returncode == 0
    assert obj["answered"] is False and obj["citations"] == []


def test_search_json_schema_one_hit_per_article(data_dir: Path) -> None:
    out = run("search", "Seedance 2.0", "-k", "3", "--json", data_dir=data_dir)
    assert out.returncode == 0
    obj = json.loads(out.stdout)
    assert list(obj) == ["query", "took_ms", "hits"]
    assert isinstance(obj["took_ms"], float)
    assert len(obj["hits"]) == 3
    assert list(obj["hits"][0]) == ["article_id", "title", "url", "score", "passage"]
    assert len({h["article_id"] for h in obj["hits"]}) == 3
    assert "Seedance" in obj["hits"][0]["passage"]


def test_search_text_is_numbered(data_dir: Path) -> None:
    out = run("search", "RynnBrain robots", data_dir=data_dir)
    assert out.returncode == 0
    assert out.stdout.startswith("1. ")
    assert "\n2. " in out.stdout


def test_rank_bm25_engine_is_selectable(data_dir: Path) -> None:
    out = run("search", "RynnBrain", "--engine", "rank-bm25", "--json", data_dir=data_dir)
    env = run("search", "RynnBrain", "--json", data_dir=data_dir, TEAMBOT_ENGINE="rank-bm25")
    default = run("search", "RynnBrain", "--json", data_dir=data_dir)
    ranks = [[h["article_id"] for h in json.loads(o.stdout)["hits"]] for o in (out, env, default)]
    assert ranks[0] == ranks[1] == ranks[2]


def test_batch_mode_answers_each_line_in_order(data_dir: Path) -> None:
    questions = (
        "How many parameters does RynnBrain have?\n\nWho is Billy Boman?\nBest pizza in New York?\n"
    )
    out = run("ask", "-", "--json", data_dir=data_dir, stdin=questions)
    assert out.returncode == 0
    objs = [json.loads(line) for line in out.stdout.splitlines()]
    assert [o["question"] for o in objs] == [
        "How many parameters does RynnBrain have?",
        "Who is Billy Boman?",
        "Best pizza in New York?",
    ]
    assert [o["answered"] for o in objs] == [True, True, False]


def test_batch_search_and_text_mode(data_dir: Path) -> None:
    out = run("search", "-", "-k", "1", data_dir=data_dir, stdin="Kling\nGLM-5\n")
    assert out.returncode == 0
    assert out.stdout.count("> ") == 2 and "> GLM-5" in out.stdout


def test_batch_mode_refuses_a_bad_line_but_answers_the_rest(data_dir: Path) -> None:
    questions = "Who is Billy Boman?\n" + "x" * 2500 + "\nWho is Adina Yakefu?\n"
    out = run("ask", "-", "--json", data_dir=data_dir, stdin=questions)
    assert out.returncode == 2
    objs = [json.loads(line) for line in out.stdout.splitlines()]
    assert [o.get("answered") for o in objs] == [True, None, True]
    assert "limit is 2,000" in objs[1]["error"]
    assert "line 2:" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", ""], "the question is empty"),
        (["ask", "   "], "the question is empty"),
        (["search", " "], "the query is empty"),
        (["ask", "k" * 2001], "the limit is 2,000"),
        (["ask", "Kling?", "--corpus", "/no/such/place"], "corpus not found: /no/such/place"),
    ],
)
def test_bad_input_exits_2_with_one_line(data_dir: Path, args: list[str], message: str) -> None:
    out = run(*args, data_dir=data_dir)
    assert out.returncode == 2
    assert out.stdout == ""
    (line,) = out.stderr.strip().splitlines()
    assert line.startswith("teambot: error: ") and message in line


def test_empty_corpus_exits_2(data_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    out = run("ask", "Kling?", "--corpus", str(tmp_path), data_dir=data_dir)
    assert out.returncode == 2
    assert "empty file; skipped" in out.stderr
    assert f"teambot: error: no articles in {tmp_path}" in out.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask"], "the following arguments are required: QUESTION"),
        (["search", "x", "-k", "0"], "expected a number from 1 to 50"),
        (["search", "x", "-k", "many"], "expected a whole number"),
        (["ask", "x", "--engine", "lucene"], "invalid choice: 'lucene'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_usage_errors_exit_2(data_dir: Path, args: list[str], message: str) -> None:
    out = run(*args, data_dir=data_dir)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr


def test_bad_setting_exits_2_naming_it(data_dir: Path) -> None:
    out = run("ask", "Kling?", data_dir=data_dir, TEAMBOT_ENGINE="lucene")
    assert out.returncode == 2
    assert (
        out.stderr.strip()
        == "teambot: error: invalid setting TEAMBOT_ENGINE: expected 'bm25' or 'rank-bm25'"
    )


def test_corpus_from_environment_and_bad_file_warning(data_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "k.md").write_text("Kling 9\n\nKuaishou shipped Kling 9 with 120s clips.\n")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02")
    out = run("search", "Kling 9 clips", data_dir=data_dir, TEAMBOT_CORPUS=str(tmp_path))
    assert out.returncode == 0
    assert "120s" in out.stdout
    assert (
        out.stderr.strip()
        == f"teambot: warning: {tmp_path / 'bad.txt'}: binary content, not text; skipped"
    )


def test_teambot_console_script_is_installed(data_dir: Path) -> None:
    script = Path(sys.executable).parent / "teambot"
    out = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("teambot ")


def test_seeds_are_bundled_unchanged() -> None:
    shared = SEEDS.parent.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    names = sorted(p.name for p in shared.iterdir())
    assert sorted(p.name for p in SEEDS.iterdir()) == names
    for name in names:
        assert (SEEDS / name).read_bytes() == (shared / name).read_bytes()


def test_unexpected_error_is_one_line_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from adapters import cli
    from bot.service import TeamBot

    def broken(self: TeamBot, question: str) -> None:
        raise RuntimeError("index exploded")

    monkeypatch.setattr(TeamBot, "ask", broken)
    monkeypatch.setenv("TEAMBOT_DATA_DIR", str(tmp_path))
    assert cli.main(["ask", "What is RynnBrain?"]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "teambot: error: unexpected RuntimeError: index exploded "
        "(run with TEAMBOT_LOG_LEVEL=DEBUG for details)"
    ]


def test_output_into_a_closed_pipe_ends_quietly(data_dir: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("TEAMBOT_")}
    environ["TEAMBOT_DATA_DIR"] = str(data_dir)
    script = (
        f"{sys.executable} -m bot search china -k 5 | head -c 1 >/dev/null; echo ${{PIPESTATUS[0]}}"
    )
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=environ)
    assert out.stdout.strip() == "0"
    assert out.stderr == ""
