"""Rate limits and seen-event keys in SQL, so replicas sharing a store share them.

Each statement runs in autocommit mode, and each decision is atomic across
processes without a transaction: a user's recent request times live in one row,
replaced by compare-and-set on a version number (a writer that lost the race reads
again), and an event's keys are recorded together by one ``INSERT … ON CONFLICT
DO NOTHING``, which exactly one process wins.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS rate_limits (
        key TEXT PRIMARY KEY,
        stamps TEXT NOT NULL,
        version INTEGER NOT NULL,
        last_at DOUBLE PRECISION NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS seen_events (
        key TEXT PRIMARY KEY,
        seen_at DOUBLE PRECISION NOT NULL)""",
)

#: How long an event key is remembered. Slack retries an unacknowledged event three
#: times, the last about five minutes after the first (Events API, "Retries"); Discord
#: replays missed events only on a RESUME, which a gateway accepts shortly after a drop.
SEEN_FOR = 3600.0
#: Compare-and-set rounds before giving up on a user's row. Losing a round means another
#: request of the same user was counted meanwhile, so after this many the user is asking
#: faster than any limit allows and is told to slow down.
CAS_ROUNDS = 8
#: One request in this many also deletes expired rows: enough to keep both tables at
#: about a window's worth of users and an hour's events, at no cost to the rest.
PRUNE_ONE_IN = 200

_STAMPS = "SELECT stamps, version FROM rate_limits WHERE key = ?"
_FIRST_STAMP = (
    "INSERT INTO rate_limits (key, stamps, version, last_at) VALUES (?, ?, 1, ?) "
    "ON CONFLICT (key) DO NOTHING"
)
_NEXT_STAMPS = (
    "UPDATE rate_limits SET stamps = ?, version = version + 1, last_at = ? "
    "WHERE key = ? AND version = ?"
)
_SEE_EVENTS = "INSERT INTO seen_events (key, seen_at) VALUES {rows} ON CONFLICT (key) DO NOTHING"
_PRUNE = (
    "DELETE FROM rate_limits WHERE last_at < ?",
    "DELETE FROM seen_events WHERE seen_at < ?",
)

Sql = Callable[[str], str]  # the driver's placeholders in a statement


def limit(cur: Any, sql: Sql, key: str, most: int, window: float, now: float) -> float:
    """At most ``most`` requests for ``key`` in any ``window`` seconds: 0 when this one may
    go ahead (and counts it), else the seconds until one may."""
    for _ in range(CAS_ROUNDS):
        cur.execute(sql(_STAMPS), (key,))
        row = cur.fetchone()
        recent = [t for t in _times(row[0] if row else "") if now - t < window]
        if len(recent) >= most:
            return window - (now - recent[0])
        stamps = " ".join(repr(t) for t in (*recent, now))
        if row is None:
            cur.execute(sql(_FIRST_STAMP), (key, stamps, now))
        else:
            cur.execute(sql(_NEXT_STAMPS), (stamps, now, key, int(row[1])))
        if cur.rowcount == 1:
            return 0.0
    return window / most


def first_time(cur: Any, sql: Sql, keys: Sequence[str], now: float) -> bool:
    """True when no key of ``keys`` was recorded before; records them all.

    The keys go in one statement. One statement per key let two replicas offered the
    same event id and message each record one key first (A the id; B the id, taken,
    then the message; A the message, taken), and each then found the event seen, so
    neither answered it. One ``INSERT`` is atomic: a statement that meets a key
    another has just inserted waits for that one to commit, then finds the key taken.
    The keys are sorted so that two statements never wait on each other.
    """
    unique = sorted({key for key in keys if key})
    if not unique:
        return True
    rows = ", ".join(["(?, ?)"] * len(unique))
    cur.execute(sql(_SEE_EVENTS.format(rows=rows)), [v for key in unique for v in (key, now)])
    return int(cur.rowcount) == len(unique)


class Pruner:
    """Deletes expired rate-limit rows and event keys now and then."""

    def __init__(self, one_in: int = PRUNE_ONE_IN) -> None:
        self._one_in = one_in

    def maybe_prune(self, cur: Any, sql: Sql, now: float, window: float) -> None:
        if random.randrange(self._one_in):
            return
        for statement, before in zip(_PRUNE, (now - window, now - SEEN_FOR), strict=True):
            cur.execute(sql(statement), (before,))


def _times(stamps: str) -> list[float]:
    return sorted(float(t) for t in stamps.split())
