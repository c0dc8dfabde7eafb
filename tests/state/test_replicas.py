"""Two Slack replicas sharing PostgreSQL: one rate limit between them, each event answered once."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.bootstrap import build_bot
from bot.state.open import open_store
from tests.conftest import SEEDS, settings_for
from tests.loop import LoopThread
from tests.slack.conftest import Running, live, shutdown, slack_settings, start
from tests.slack.fake_slack import FakeSlack


@pytest.fixture
def replicas(
    loop: LoopThread, postgres_url: str, tmp_path: Path
) -> Iterator[tuple[Running, Running]]:
    fake = FakeSlack()
    loop.run(fake.start())
    stores = [open_store(postgres_url, tmp_path) for _ in range(2)]
    settings = slack_settings(fake, rate_limit=2)
    running = [
        start(loop, fake, live(build_bot(settings_for(SEEDS, tmp_path), state=s)), settings)
        for s in stores
    ]
    yield running[0], running[1]
    for replica in running:
        shutdown(replica)
    loop.run(fake.stop())
    for store in stores:
        store.close()


def test_event_retried_to_another_replica_is_answered_once(
    replicas: tuple[Running, Running],
) -> None:
    a, b = replicas
    event_id = f"Ev{uuid.uuid4().hex[:8]}"  # the server outlives a test
    mention = {
        "type": "app_mention",
        "user": "U1",
        "text": "<@UBOT> What is a VLA model?",
        "channel": "C1",
        "ts": f"{time.time():.6f}",
    }
    a.event(mention, event_id=event_id)
    b.event(mention, event_id=event_id, **{"X-Slack-Retry-Num": "1"})
    a.settle("posts", 1)  # nothing more on its way from A...
    assert len(b.settle("posts", 1)) == 1  # ...nor from B


def test_replicas_share_one_rate_limit(replicas: tuple[Running, Running]) -> None:
    a, b = replicas
    user = f"U{uuid.uuid4().hex[:8]}"
    assert a.command("/ask", "What is a VLA model?", user=user)[1] == ""
    assert b.command("/ask", "What is a VLA model?", user=user)[1] == ""
    status, body, _ = a.command("/ask", "What is a VLA model?", user=user)
    assert status == 200 and "asking faster than I can keep up" in body
    status, body, _ = b.command("/ask", "What is a VLA model?", user=user)
    assert "asking faster than I can keep up" in body
