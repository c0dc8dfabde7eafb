"""Two Slack replicas sharing PostgreSQL: one rate limit between them, each event answered once."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters import guards
from bot.bootstrap import build_bot
from bot.state.open import open_store
from tests.conftest import SEEDS, settings_for
from tests.loop import LoopThread
from tests.slack.conftest import Running, live, shutdown, slack_settings, start
from tests.slack.fake_slack import FakeSlack

#: How long a replica waits for the shared store's answer in these tests (seconds).
WAIT_FOR_THE_STORE = 60.0


@pytest.fixture
def replicas(
    loop: LoopThread, postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Running, Running]]:
    # What the replicas share is under test here, not each one's fallback when the store
    # is slow (tests/adapters/test_guards.py): on a loaded machine a check may take over
    # the usual second, and each replica would then decide alone.
    monkeypatch.setattr(guards, "SHARED_WAIT", WAIT_FOR_THE_STORE)
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
