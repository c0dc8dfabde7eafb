"""The PostgreSQL store through a server restart: reconnected, and the missed digest posted."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import time as datetime_time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.bootstrap import build_bot
from bot.digest.schedule import Destination, Schedule
from bot.digest.scheduler import Outcome, Scheduler
from bot.digest.window import recent
from bot.errors import StateError
from bot.models import Digest
from bot.state.open import lazy_store, open_store
from bot.state.store import SqlStore
from tests.conftest import settings_for
from tests.digest.conftest import PostgresServer, at


@pytest.fixture
def pg_store(
    postgres: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SqlStore]:
    """A store on the tests' server whose statements wait 3 s at most while it is down
    (a broken connection alone costs the pool a second)."""
    monkeypatch.setattr("bot.state.postgres.WAIT_SECONDS", 3.0)
    store = open_store(postgres.url, tmp_path)
    yield store
    store.close()


@pytest.fixture
def impatient_store(
    postgres: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SqlStore]:
    """A store whose statements give up after 1 s while the server is down: for tests that
    try again as the scheduler does (each try while it is down costs the whole wait)."""
    monkeypatch.setattr("bot.state.postgres.WAIT_SECONDS", 1.0)
    store = open_store(postgres.url, tmp_path)
    yield store
    store.close()


def test_store_reconnects_after_postgres_restarts(
    postgres: PostgresServer, pg_store: SqlStore
) -> None:
    pg_store.see(["restart-a"], at("2026-01-10 07:00"))
    postgres.stop()
    postgres.start()
    seen = pg_store.see(["restart-b"], at("2026-01-10 08:00"))
    assert seen["restart-a"] == at("2026-01-10 07:00")
    assert seen["restart-b"] == at("2026-01-10 08:00")


def test_digest_due_during_an_outage_is_posted_when_postgres_is_back(
    postgres: PostgresServer, impatient_store: SqlStore, corpus: Path, tmp_path: Path
) -> None:
    pg_store = impatient_store
    now = [at("2026-01-10 06:00")]
    bot = build_bot(settings_for(corpus, tmp_path / "data"), state=pg_store, clock=lambda: now[0])
    paris = Schedule(datetime_time(8, 0), ZoneInfo("Europe/Paris"))  # 07:00 UTC
    destination = Destination("console", f"outage-{uuid.uuid4().hex[:8]}", paris)
    posted: list[Digest] = []
    scheduler = Scheduler(
        [destination],
        pg_store,
        bot.digest,
        {"console": lambda _, digest, *run: posted.append(digest)},
        grace=timedelta(hours=12),
        clock=lambda: now[0],
    )
    postgres.stop()
    try:
        now[0] = at("2026-01-10 07:00")
        assert scheduler.tick() == []  # due, but the claim cannot be made
        with pytest.raises(StateError, match="the state database .* failed"):
            bot.digest(recent(now[0]))  # a chat /digest gets a clear reason
        now[0] = at("2026-01-10 07:01")
        assert scheduler.tick() == []
    finally:
        postgres.start()
    now[0] = at("2026-01-10 09:30")  # back, well within the 12-hour grace
    assert [o.result for o in _tick_until_done(scheduler)] == ["posted"]
    assert len(posted) == 1 and posted[0].stories
    assert scheduler.tick() == []  # posted once
    assert bot.digest(recent(now[0])).until == now[0]


def _tick_until_done(scheduler: Scheduler, seconds: float = 90) -> list[Outcome]:
    """Ticks as the scheduler's thread does (faster), until a tick does something."""
    deadline = time.monotonic() + seconds
    while not (outcomes := scheduler.tick()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return outcomes


def test_store_first_used_while_postgres_is_down_opens_once_it_is_up(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    store = lazy_store(postgres.url, tmp_path)
    assert store.shared
    postgres.stop()
    try:
        with pytest.raises(StateError, match="cannot open the state database .*refused"):
            store.see(["lazy-a"], at("2026-01-10 07:00"))
    finally:
        postgres.start()
    assert store.see(["lazy-a"], at("2026-01-10 07:05"))["lazy-a"] == at("2026-01-10 07:05")
    store.close()
