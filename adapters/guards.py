"""Per-user rate limiting and duplicate-event suppression, shared by the chat adapters."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable


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
