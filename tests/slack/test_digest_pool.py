"""/digest is built in the bounded answer pool, as answers are."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from adapters.slack.digest_listeners import DigestListeners

T = TypeVar("T")


class CountingPool:
    """A stand-in pool that records what it was asked to run."""

    def __init__(self) -> None:
        self.ran = 0

    async def run(self, produce: Callable[[], T]) -> T:
        self.ran += 1
        return await asyncio.to_thread(produce)


def test_digest_is_built_in_the_answer_pool() -> None:
    pool = CountingPool()
    listeners = DigestListeners(bot=None, visibility="in_channel", digest_stories=10, pool=pool)  # type: ignore[arg-type]
    built: Any = asyncio.run(listeners._build(lambda: "the digest"))  # noqa: SLF001
    assert built == "the digest" and pool.ran == 1
