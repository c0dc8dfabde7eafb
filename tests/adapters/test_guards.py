"""Rate limits and seen events: in the shared store when there is one, in-process otherwise
and whenever the store cannot answer in time."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Sequence
from typing import Any

import pytest

from adapters import guards
from bot.errors import StateError
from bot.fake import FakeBot


class FakeStore:
    """An ``EventGuards`` that counts calls and fails, hangs (until ``unblock`` is set)
    or answers as told."""

    def __init__(self, *, shared: bool = True, fail: bool = False, hang: bool = False) -> None:
        self.shared, self.fail, self.hang = shared, fail, hang
        self.unblock = threading.Event()
        self.calls = 0

    def _call(self) -> None:
        self.calls += 1
        if self.hang:
            self.unblock.wait(30)
        if self.fail:
            raise StateError("the state database postgresql://u:***@db/x failed: gone")

    def limit(self, key: str, limit: int, window: float, now: float) -> float:
        self._call()
        return 7.0  # the shared count says: over the limit

    def first_time(self, keys: Sequence[str], now: float) -> bool:
        self._call()
        return False  # the shared record says: seen before


def _bot(store: Any) -> FakeBot:
    return FakeBot(store=store)


def test_shared_store_decides_when_it_answers() -> None:
    store = FakeStore()
    limiter = guards.rate_limiter(_bot(store), 10, "slack")
    seen = guards.seen_events(_bot(store), "slack")
    assert asyncio.run(limiter.allow("U1")) == 7.0
    assert asyncio.run(seen.first("Ev1")) is False
    assert store.calls == 2


def test_store_that_is_not_shared_is_never_asked() -> None:
    store = FakeStore(shared=False)
    limiter = guards.rate_limiter(_bot(store), 1, "slack")
    seen = guards.seen_events(_bot(store), "slack")
    assert asyncio.run(limiter.allow("U1")) == 0.0
    assert asyncio.run(limiter.allow("U1")) > 0
    assert [asyncio.run(seen.first("Ev1")), asyncio.run(seen.first("Ev1"))] == [True, False]
    assert store.calls == 0


def test_failing_store_falls_back_to_in_process_checks_for_a_while(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = FakeStore(fail=True)
    limiter = guards.rate_limiter(_bot(store), 2, "slack")

    async def three() -> list[float]:
        return [await limiter.allow("U1") for _ in range(3)]

    waits = asyncio.run(three())
    assert waits[:2] == [0.0, 0.0] and waits[2] > 0  # the in-process limit of 2
    assert store.calls == 1  # not asked again during the fallback
    (warning,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "checking in this process for 30 s" in warning.getMessage()


def test_events_seen_before_an_outage_are_still_known_during_it() -> None:
    store = FakeStore()
    seen = guards.seen_events(_bot(store), "discord")

    async def deliveries() -> list[bool]:
        first = await seen.first("M1")  # the shared store answers (here: "seen before")
        store.fail = True
        return [first, await seen.first("M2"), await seen.first("M1")]

    assert asyncio.run(deliveries()) == [False, True, False]


def test_store_that_hangs_is_not_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards, "SHARED_WAIT", 0.05)  # the wait is the same, only shorter
    store = FakeStore(hang=True)  # it would say "over the limit", once unblocked
    limiter = guards.rate_limiter(_bot(store), 2, "slack")
    try:
        assert asyncio.run(limiter.allow("U1")) == 0.0  # decided in-process instead
    finally:
        store.unblock.set()
