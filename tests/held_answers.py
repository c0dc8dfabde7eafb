"""Answers held back until a test lets them go: what a worker is doing while the
adapter acknowledges, queues and turns away other requests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from bot.models import Answer
from bot.service import TeamBot

HOLD_LIMIT = 20.0  # seconds a held answer waits before giving up (a test that hangs fails)


class HeldAnswers:
    """``TeamBot.ask`` waits until ``release()``; ``started`` lists the questions whose
    answers have begun, in order, and ``on_start`` runs (on the worker) as each begins."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.on_start: Callable[[str], None] = lambda question: None
        self._release = threading.Event()

    def release(self) -> None:
        self._release.set()

    def wait_started(self, count: int, timeout: float = 10) -> list[str]:
        """Waits until ``count`` answers have begun; returns their questions."""
        deadline = time.monotonic() + timeout
        while len(self.started) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.started)} answers began, not {count}")
            time.sleep(0.02)
        return list(self.started)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        original = TeamBot.ask

        def held(bot: TeamBot, question: str) -> Answer:
            self.on_start(question)
            self.started.append(question)
            if not self._release.wait(HOLD_LIMIT):
                raise AssertionError("the held answer was never released")
            return original(bot, question)

        monkeypatch.setattr(TeamBot, "ask", held)
