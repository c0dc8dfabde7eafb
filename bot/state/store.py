"""The state store: first-seen times and exactly-once digest claims.

One SQL implementation serves SQLite (the default, a file under the data dir,
WAL mode so several processes can share it) and PostgreSQL (several replicas).
A claim is one atomic statement: insert the run, or take it over only when a
failed attempt is due for retry or the claiming process's lease has expired.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS first_seen (
        article_id TEXT PRIMARY KEY,
        seen_at DOUBLE PRECISION NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS digest_runs (
        destination TEXT NOT NULL,
        run TEXT NOT NULL,
        status TEXT NOT NULL,
        owner TEXT,
        lease_until DOUBLE PRECISION,
        attempts INTEGER NOT NULL DEFAULT 0,
        retry_at DOUBLE PRECISION,
        window_until DOUBLE PRECISION,
        posted INTEGER,
        error TEXT,
        updated_at DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (destination, run))""",
)

_CLAIM = """
INSERT INTO digest_runs (destination, run, status, owner, lease_until, attempts, updated_at)
VALUES (?, ?, 'claimed', ?, ?, 1, ?)
ON CONFLICT (destination, run) DO UPDATE SET
    status = 'claimed', owner = excluded.owner, lease_until = excluded.lease_until,
    attempts = digest_runs.attempts + 1, updated_at = excluded.updated_at
WHERE (digest_runs.status = 'retry' AND digest_runs.retry_at <= ?)
   OR (digest_runs.status = 'claimed' AND digest_runs.lease_until < ?)
RETURNING attempts
"""
_LAST_UNTIL = "SELECT MAX(window_until) FROM digest_runs WHERE destination = ? AND status = 'done'"
_FINISH = """
UPDATE digest_runs SET status = 'done', window_until = ?, posted = ?, owner = NULL,
    lease_until = NULL, error = NULL, updated_at = ?
WHERE destination = ? AND run = ? AND owner = ? AND status = 'claimed'
"""
_RELEASE = """
UPDATE digest_runs SET status = 'retry', retry_at = ?, error = ?, owner = NULL,
    lease_until = NULL, updated_at = ?
WHERE destination = ? AND run = ? AND owner = ? AND status = 'claimed'
"""
_SEE = (
    "INSERT INTO first_seen (article_id, seen_at) VALUES (?, ?) ON CONFLICT (article_id) DO NOTHING"
)
_SEEN = "SELECT article_id, seen_at FROM first_seen"


@dataclass(frozen=True, slots=True)
class Claim:
    """This process's right to post one scheduled run of one destination."""

    destination: str
    run: str
    owner: str
    attempts: int
    previous_until: datetime | None  # where the destination's previous digest ended


class StateStore(Protocol):
    """What the digest needs remembered across restarts and processes."""

    def see(self, article_ids: Iterable[str], now: datetime) -> dict[str, datetime]:
        """Records ids not seen before as first seen ``now``; returns every first-seen time."""
        ...

    def claim(
        self, destination: str, run: str, owner: str, now: datetime, lease: timedelta
    ) -> Claim | None:
        """Claims a run atomically; ``None`` when it is done, held or not yet due for retry."""
        ...

    def finish(self, claim: Claim, until: datetime, *, posted: bool, now: datetime) -> bool:
        """Marks a claimed run done; False when the claim had been taken over."""
        ...

    def release(self, claim: Claim, retry_at: datetime, error: str, now: datetime) -> None:
        """Gives a failed run back, to be retried from ``retry_at``."""
        ...

    def close(self) -> None:
        """Closes the connection."""
        ...


class SqlStore:
    """``StateStore`` over a DB-API connection (sqlite3 or psycopg).

    Args:
        connect: opens a connection in autocommit mode.
        placeholder: the driver's parameter marker (``?`` or ``%s``).
        name: how to name this store in messages (never with a password).
    """

    def __init__(self, connect: Callable[[], Any], placeholder: str, name: str) -> None:
        self.name = name
        self._placeholder = placeholder
        self._lock = threading.Lock()  # one connection, shared by a process's threads
        self._conn = connect()
        for statement in SCHEMA:
            self._execute(statement)

    def see(self, article_ids: Iterable[str], now: datetime) -> dict[str, datetime]:
        stamp = now.timestamp()
        with self._lock:
            cur = self._conn.cursor()
            cur.executemany(self._sql(_SEE), [(i, stamp) for i in article_ids])
            cur.execute(_SEEN)
            rows = cur.fetchall()
        return {str(i): datetime.fromtimestamp(float(t), UTC) for i, t in rows}

    def claim(
        self, destination: str, run: str, owner: str, now: datetime, lease: timedelta
    ) -> Claim | None:
        t = now.timestamp()
        row = self._execute(
            _CLAIM, (destination, run, owner, (now + lease).timestamp(), t, t, t), fetch=True
        )
        if not row:
            return None
        last = self._execute(_LAST_UNTIL, (destination,), fetch=True)
        previous = datetime.fromtimestamp(float(last[0]), UTC) if last and last[0] else None
        return Claim(destination, run, owner, int(row[0]), previous)

    def finish(self, claim: Claim, until: datetime, *, posted: bool, now: datetime) -> bool:
        params = (until.timestamp(), int(posted), now.timestamp(), *_key(claim))
        updated: int = self._execute(_FINISH, params)
        return updated == 1

    def release(self, claim: Claim, retry_at: datetime, error: str, now: datetime) -> None:
        self._execute(_RELEASE, (retry_at.timestamp(), error[:500], now.timestamp(), *_key(claim)))

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _sql(self, statement: str) -> str:
        return statement.replace("?", self._placeholder)

    def _execute(self, statement: str, params: tuple[Any, ...] = (), *, fetch: bool = False) -> Any:
        with self._lock:
            cur = self._conn.cursor()
            cur.execute(self._sql(statement), params)
            if fetch:
                return cur.fetchone()
            return cur.rowcount


def _key(claim: Claim) -> tuple[str, str, str]:
    return (claim.destination, claim.run, claim.owner)
