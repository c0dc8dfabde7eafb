"""Per-user rate limiting and duplicate-event suppression, shared by the chat adapters.

``RateLimiter`` and ``Seen`` keep their counts in this process. With a shared state
store (PostgreSQL: several replicas), ``rate_limiter`` and ``seen_events`` keep them in
the store instead, so the replicas together allow what one would, and an event retried
to another replica is still answered once; while the store cannot answer, the
in-process ones decide.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

from bot.errors import BotError
from bot.protocol import Bot
from bot.signals import leave_to_main_thread
from bot.state.store import EventGuards

log = logging.getLogger("teambot")

T = TypeVar("T")


class RateLimiter:
    """At most ``limit`` requests per user in any ``window`` seconds."""

    def __init__(
        self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ):
        self._limit = limit
        self._window = window
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}

    def allow(self, user: str) -> float:
        """0 when ``user`` may go ahead (and counts it); else seconds until they may."""
        now = self._clock()
        recent = self._seen.setdefault(user, deque())
        while recent and now - recent[0] >= self._window:
            recent.popleft()
        if len(recent) >= self._limit:
            return self._window - (now - recent[0])
        recent.append(now)
        return 0.0


class Seen:
    """Remembers recent keys (event ids, message timestamps) to act on each once."""

    def __init__(self, size: int = 5000) -> None:
        self._size = size
        self._keys: OrderedDict[str, None] = OrderedDict()

    def first(self, *keys: str) -> bool:
        """True the first time any of ``keys`` is offered; records them all."""
        known = any(k in self._keys for k in keys if k)
        for key in keys:
            if key:
                self._keys[key] = None
                self._keys.move_to_end(key)
        while len(self._keys) > self._size:
            self._keys.popitem(last=False)
        return not known


#: The span SLACK_RATE_LIMIT and DISCORD_RATE_LIMIT count questions over ("a minute").
RATE_WINDOW = 60.0
#: How long a request waits for the shared store's answer before deciding in-process:
#: Slack and Discord want an acknowledgement within 3 s, and the check comes before it.
SHARED_WAIT = 1.0
#: After the shared store fails a check, how long checks stay in-process before asking it
#: again: its pool reconnects in the background, and asking on every request meanwhile
#: would make each one wait ``SHARED_WAIT``.
FALLBACK_SECONDS = 30.0
#: Threads that ask the shared store, per guard: each check is one or two short statements.
SHARED_THREADS = 4


class Limiter(Protocol):
    """A per-user rate limit (see ``RateLimiter.allow``)."""

    async def allow(self, user: str) -> float: ...


class Dedup(Protocol):
    """Acts once on each event (see ``Seen.first``)."""

    async def first(self, *keys: str) -> bool: ...


def rate_limiter(bot: Bot, limit: int, platform: str) -> Limiter:
    """At most ``limit`` questions a minute per user of ``platform``: counted in the state
    store when replicas share it (else N replicas would allow N times as many), in this
    process otherwise."""
    local = RateLimiter(limit, RATE_WINDOW)
    store = _shared_store(bot)
    if store is None:
        return _LocalLimiter(local)
    return _SharedLimiter(store, limit, platform, local)


def seen_events(bot: Bot, platform: str) -> Dedup:
    """Duplicate-event suppression for ``platform``: in the state store when replicas share
    it (a retried event may reach another replica), in this process otherwise."""
    store = _shared_store(bot)
    return _LocalSeen(Seen()) if store is None else _SharedSeen(store, platform, Seen())


def _shared_store(bot: Bot) -> EventGuards | None:
    state = bot.state
    return state if isinstance(state, EventGuards) and state.shared else None


class _LocalLimiter:
    def __init__(self, limiter: RateLimiter) -> None:
        self._limiter = limiter

    async def allow(self, user: str) -> float:
        return self._limiter.allow(user)


class _LocalSeen:
    def __init__(self, seen: Seen) -> None:
        self._seen = seen

    async def first(self, *keys: str) -> bool:
        return self._seen.first(*keys)


class _Shared:
    """Asks the shared store off the event loop; ``None`` when it cannot answer in time
    (then, for ``FALLBACK_SECONDS``, the caller decides in-process without asking)."""

    def __init__(self, store: EventGuards, platform: str) -> None:
        self._store = store
        self._platform = platform
        self._down_until = 0.0
        self._threads = ThreadPoolExecutor(
            SHARED_THREADS, f"teambot-{platform}-guard", initializer=leave_to_main_thread
        )

    def _key(self, key: str) -> str:
        return f"{self._platform}:{key}"

    async def _ask(self, call: Callable[[EventGuards], T]) -> T | None:
        if time.monotonic() < self._down_until:
            return None
        loop = asyncio.get_running_loop()
        try:
            future = loop.run_in_executor(self._threads, call, self._store)
            return await asyncio.wait_for(future, SHARED_WAIT)
        except (BotError, TimeoutError) as exc:
            self._down_until = time.monotonic() + FALLBACK_SECONDS
            reason = str(exc) or f"no answer within {SHARED_WAIT:g} s"
            log.warning(
                "shared rate limits and seen events unavailable (%s); checking in this "
                "process for %g s",
                reason,
                FALLBACK_SECONDS,
            )
            return None


class _SharedLimiter(_Shared):
    def __init__(self, store: EventGuards, limit: int, platform: str, local: RateLimiter):
        super().__init__(store, platform)
        self._limit = limit
        self._local = local

    async def allow(self, user: str) -> float:
        key, limit = self._key(user), self._limit
        wait = await self._ask(lambda s: s.limit(key, limit, RATE_WINDOW, time.time()))
        return self._local.allow(user) if wait is None else wait


class _SharedSeen(_Shared):
    def __init__(self, store: EventGuards, platform: str, local: Seen):
        super().__init__(store, platform)
        self._local = local

    async def first(self, *keys: str) -> bool:
        # Recorded here too, so events seen before an outage are still known during it.
        local = self._local.first(*keys)
        scoped = [self._key(k) for k in keys if k]
        new = await self._ask(lambda s: s.first_time(scoped, time.time()))
        return local if new is None else new
