"""`teambot slack` as a process: it serves, posts its scheduled digest, and stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.digest.conftest import _free_port
from tests.slack.conftest import BOT_TOKEN
from tests.slack.fake_slack import FakeSlack, LoopThread


def test_slack_process_posts_the_scheduled_digest_and_stops_cleanly(
    fake: FakeSlack, loop: LoopThread, tmp_path: Path
) -> None:
    due = datetime.now(UTC) - timedelta(minutes=1)
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMBOT_"))}
    environ.update(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": "process-signing-secret",
            "SLACK_API_URL": fake.api_url,
            "SLACK_DIGEST_CHANNELS": f"C1; C2@{due:%H:%M} UTC daily",
            "TEAMBOT_DIGEST_TIME": f"{(due + timedelta(hours=3)):%H:%M}",
            "TEAMBOT_DATA_DIR": str(tmp_path),
            "TEAMBOT_LOG_LEVEL": "DEBUG",
        }
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "slack", "--port", str(_free_port()), "--host", "127.0.0.1"],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        (post,) = loop.run(fake.wait_for("posts", 1, timeout=60), 70)
        assert post["channel"] == "C2"  # C1's digest is hours away
        time.sleep(1)
        assert len(fake.posts) == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    for secret in (BOT_TOKEN, "process-signing-secret"):
        assert secret not in out + err
