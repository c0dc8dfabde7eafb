"""`teambot digest` and the console as a scheduled digest destination."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.console.test_repl import Terminal, _env


def test_default_digest_json_schema(cached_index: Path) -> None:
    out = run("digest", "--json", data_dir=cached_index)
    assert out.returncode == 0, out.stderr
    obj = json.loads(out.stdout)
    assert list(obj) == ["since", "until", "stories"]
    assert datetime.fromisoformat(obj["until"]) - datetime.fromisoformat(obj["since"]) == timedelta(
        hours=24
    )
    story = obj["stories"][0]
    assert list(story) == ["headline", "summary", "entities", "articles", "key_points"]
    assert list(story["articles"][0]) == ["article_id", "title", "url", "source", "published"]
    assert sum(len(s["articles"]) for s in obj["stories"]) == 5


def test_digest_for_a_date_in_text(cached_index: Path) -> None:
    out = run("digest", "--date", "2026-02-14", data_dir=cached_index)
    assert out.returncode == 0
    assert out.stdout.startswith("Digest for 2026-02-14: 1 story\n\n1. ")
    assert "It's been a big" in out.stdout and "Spring Festival AI Blitz" in out.stdout
    assert "Sources (2):" in out.stdout


def test_digest_days_in_json_and_an_empty_range(cached_index: Path) -> None:
    out = run(
        "digest", "--since", "2026-01-01", "--until", "2026-01-31", "--json", data_dir=cached_index
    )
    obj = json.loads(out.stdout)
    assert (obj["since"], obj["until"]) == ("2026-01-01", "2026-01-31")
    assert [a["article_id"][:3] for s in obj["stories"] for a in s["articles"]] == ["004"]
    empty = run("digest", "--date", "2020-01-01", data_dir=cached_index)
    assert empty.returncode == 0 and empty.stdout.strip() == "Nothing new for 2020-01-01."


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["--date", "2026-02-30"],
            {},
            "invalid --date '2026-02-30': expected a date as YYYY-MM-DD",
        ),
        (
            ["--since", "2026-02-15", "--until", "2026-02-14"],
            {},
            "--since 2026-02-15 is after --until 2026-02-14",
        ),
        (["--until", "2026-02-14"], {}, "--until needs --since"),
        ([], {"TEAMBOT_TIMEZONE": "Mars/Olympus"}, "unknown time zone 'Mars/Olympus'"),
        (["--date", "2026-02-14", "--since", "2026-02-01"], {}, "not allowed with argument"),
    ],
)
def test_bad_digest_input_exits_2(
    tmp_path: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    out = run("digest", *args, data_dir=tmp_path, **env)
    assert out.returncode == 2
    assert message in out.stderr and "Traceback" not in out.stderr


def test_malformed_console_schedule_is_refused_at_start(tmp_path: Path) -> None:
    out = run("console", data_dir=tmp_path, stdin="", TEAMBOT_CONSOLE_DIGEST="25:99 someday")
    assert out.returncode == 2
    assert "invalid TEAMBOT_CONSOLE_DIGEST: '25:99'" in out.stderr


def test_console_prints_the_scheduled_digest_once_across_restarts(tmp_path: Path) -> None:
    now = datetime.now(UTC) - timedelta(minutes=1)
    env = {**_env(tmp_path), "TEAMBOT_CONSOLE_DIGEST": f"{now:%H:%M} UTC daily"}
    term = Terminal([sys.executable, "-m", "bot", "console"], env)
    screen = term.expect("Sources (4):", timeout=60)
    assert "--- scheduled digest" in screen and "Digest since" in screen
    term.type("/quit\r")
    assert term.wait() == 0
    # Restarted the same day: the digest was posted, so it is not posted again.
    again = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="What is a VLA model?\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert again.returncode == 0 and "Vision-language-action" in again.stdout
    assert "scheduled digest" not in again.stdout
