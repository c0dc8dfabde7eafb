"""/digest is built in the bounded answer pool, as answers are."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from adapters.slack.digest_listeners import DigestListeners
from bot.fake import FakeBot

T = TypeVar("T")


class CountingPool:
    """A stand-in pool that records what it was asked to run."""

    def __init__(self) -> None:
        self.ran = 0

    async def run(self, produce: Callable[[], T]) -> T:
        self.ran += 1
        return await asyncio.to_thread(produce)


def test_digest_is_built_in_the_answer_pool() -> None:
    pool, bot = CountingPool(), FakeBot()
    listeners = DigestListeners(bot=bot, visibility="in_channel", digest_stories=10, pool=pool)  # type: ignore[arg-type]
    replies: list[dict[str, Any]] = []

    async def ack(**_: Any) -> None:
        pass

    async def respond(**message: Any) -> None:
        replies.append(message)

    command = {"command": "/digest", "text": "2026-01-01", "channel_id": "C1"}
    asyncio.run(listeners._command(ack, command, respond, None))  # type: ignore[arg-type]  # noqa: SLF001
    assert pool.ran == 1 and [kind for kind, _ in bot.calls] == ["digest"]
    assert "2026-01-01" in replies[0]["text"]
