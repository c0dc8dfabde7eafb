"""`teambot slack` as a process: it serves, posts its scheduled digest, and stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.digest.conftest import _free_port
from tests.scheduled_runs import seen_before
from tests.slack.conftest import BOT_TOKEN
from tests.slack.fake_slack import FakeSlack, LoopThread, sign
from tests.unrelated_corpus import ARTICLES, write_unrelated_corpus


def _start_bot(fake: FakeSlack, port: int, env: dict[str, str]) -> subprocess.Popen[str]:
    """``teambot slack`` as its own process against the fake, with ``env`` over a clean
    environment."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMBOT_"))}
    environ.update(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": "process-signing-secret",
            "SLACK_API_URL": fake.api_url,
            **env,
        }
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "slack", "--port", str(port), "--host", "127.0.0.1"],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.usefixtures("cached_index")  # tmp_path: the seeds' index, cached
def test_slack_process_posts_the_scheduled_digest_and_stops_cleanly(
    fake: FakeSlack, loop: LoopThread, tmp_path: Path
) -> None:
    due = datetime.now(UTC) - timedelta(minutes=1)
    proc = _start_bot(
        fake,
        _free_port(),
        {
            "SLACK_DIGEST_CHANNELS": f"C1; C2@{due:%H:%M} UTC daily",
            "TEAMBOT_DIGEST_TIME": f"{(due + timedelta(hours=3)):%H:%M}",
            "TEAMBOT_DATA_DIR": str(tmp_path),
            "TEAMBOT_LOG_LEVEL": "DEBUG",
        },
    )
    try:
        (post,) = loop.run(fake.wait_for("posts", 1, timeout=60), 70)
        assert post["channel"] == "C2"  # C1's digest is hours away
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert len(fake.posts) == 1  # counted once the process is gone: nothing more can come
    assert "Traceback" not in err
    for secret in (BOT_TOKEN, "process-signing-secret"):
        assert secret not in out + err


def test_slack_process_shows_teambot_digest_stories_in_full(
    fake: FakeSlack, loop: LoopThread, tmp_path: Path
) -> None:
    due = datetime.now(UTC) - timedelta(minutes=1)
    port = _free_port()
    corpus = write_unrelated_corpus(tmp_path / "corpus")
    seen_before(due, tmp_path / "data", corpus)
    proc = _start_bot(
        fake,
        port,
        {
            "SLACK_DIGEST_CHANNELS": f"C3@{due:%H:%M} UTC daily",
            "TEAMBOT_CORPUS": str(corpus),
            "TEAMBOT_DATA_DIR": str(tmp_path / "data"),
            "TEAMBOT_DIGEST_STORIES": "1",
        },
    )
    try:
        (post,) = loop.run(fake.wait_for("posts", 1, timeout=60), 70)
        _slash_command(port, "/digest", "2026-03-02", fake.response_url())
        (response,) = loop.run(fake.wait_for("responses", 1, timeout=30), 40)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    for message in (post, response):  # the scheduled digest, and a /digest reply
        blocks = message["blocks"]
        assert [b["type"] for b in blocks].count("divider") == 1  # one story in full
        lines = blocks[-1]["text"]["text"].split("\n")  # then one line for each other story
        assert len(lines) == len(ARTICLES) - 1
        assert all(line.startswith(f"{n}. ") for n, line in enumerate(lines, 2))
        assert all(line.endswith(" (1 source)") for line in lines)


def _slash_command(port: int, command: str, text: str, response_url: str) -> None:
    body = urlencode(
        {
            "command": command,
            "text": text,
            "user_id": "U1",
            "channel_id": "C1",
            "team_id": "T1",
            "response_url": response_url,
            "trigger_id": "trig",
            "api_app_id": "A1",
        }
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        **sign(body, "process-signing-secret"),
    }
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/slack/events", body.encode(), headers, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert reply.status == 200
