"""The state store: first-seen times, exactly-once digest claims, and (when shared) the chat
adapters' rate limits and seen events.

One SQL implementation serves SQLite (the default, a file under the data dir,
WAL mode so several processes can share it) and PostgreSQL (several replicas,
through a connection pool that checks each connection before use, so a restarted
server costs the failed statements and nothing more). A claim is one atomic
statement: insert the run, or take it over only when a failed attempt is due for
retry or the claiming process's lease has expired. First-seen times are written in one
transaction per batch of rows, not one commit per row. Every driver error becomes a
``StateError`` whose message names the store, never its password.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any, Protocol, runtime_checkable

from bot.errors import StateError
from bot.state import events

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
    *events.SCHEMA,
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
_EARLIEST = "SELECT MIN(seen_at) FROM first_seen"
#: Rows ``see`` writes per transaction. The connections are autocommit, and one commit
#: per row cost 137 s of a 190 s first run at 20,000 articles on a busy disk (each commit
#: syncs SQLite's WAL, or waits on PostgreSQL's); a batch commits once. Batches rather than
#: one transaction for everything, so that the write lock (and SQLite's one connection per
#: process, which the chat checks share) is held for one batch at a time. Measured on
#: SQLite on disk, 200,000 new ids: 0.6-0.8 s in all at 1,000, 10,000 or 100,000 rows a
#: batch, the longest batch 11-15, 23-27 and 146-227 ms; 10,000 keeps it near 25 ms.
SEE_BATCH_ROWS = 10_000


@dataclass(frozen=True, slots=True)
class Claim:
    """This process's right to post one scheduled run of one destination."""

    destination: str
    run: str
    owner: str
    attempts: int
    previous_until: datetime | None  # where the destination's previous digest ended
    first_seen: datetime | None = None  # when the earliest article was first seen


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


@runtime_checkable
class EventGuards(Protocol):
    """The chat adapters' per-user rate limits and seen-event keys, kept in the store so
    that replicas sharing it share them (see ``bot.state.events``)."""

    @property
    def shared(self) -> bool:
        """True when other processes, on other machines, use this store too (PostgreSQL)."""
        ...

    def limit(self, key: str, limit: int, window: float, now: float) -> float:
        """0 when ``key`` may go ahead (and counts it); else seconds until it may."""
        ...

    def first_time(self, keys: Sequence[str], now: float) -> bool:
        """True when none of ``keys`` was offered before; records them all."""
        ...


class Connections(Protocol):
    """Where a store's statements run: one autocommit connection at a time."""

    def connection(self, timeout: float | None = None) -> AbstractContextManager[Any]:
        """A connection for the ``with`` block, waiting at most ``timeout`` seconds for one."""
        ...

    def close(self) -> None:
        """Closes every connection."""
        ...


class SqlStore:
    """``StateStore`` and ``EventGuards`` over DB-API connections (sqlite3 or psycopg).

    Args:
        connections: where statements run (one shared SQLite connection, or a pool).
        placeholder: the driver's parameter marker (``?`` or ``%s``).
        name: how to name this store in messages (never with a password).
        errors: the driver's exception classes, each turned into a ``StateError``.
        explain: the reason an error gives, for a message (never with a password).
        shared: True when replicas on other machines share the store.
        guard_wait: how long a rate-limit or seen-event check waits for a connection.
    """

    def __init__(
        self,
        connections: Connections,
        placeholder: str,
        name: str,
        *,
        errors: tuple[type[Exception], ...],
        explain: Callable[[Exception], str] = str,
        shared: bool = False,
        guard_wait: float | None = None,
    ) -> None:
        self.name = name
        self.shared = shared
        self._connections = connections
        self._placeholder = placeholder
        self._errors = errors
        self._explain = explain
        self._guard_wait = guard_wait
        self._pruner = events.Pruner()
        with self._cursor() as cur:
            for statement in SCHEMA:
                cur.execute(statement)

    def see(self, article_ids: Iterable[str], now: datetime) -> dict[str, datetime]:
        stamp = now.timestamp()
        ids = iter(article_ids)
        while batch := [(i, stamp) for i in islice(ids, SEE_BATCH_ROWS)]:
            with self._transaction() as cur:
                cur.executemany(self._sql(_SEE), batch)
        with self._cursor() as cur:
            cur.execute(_SEEN)
            rows = cur.fetchall()
        return {str(i): datetime.fromtimestamp(float(t), UTC) for i, t in rows}

    def claim(
        self, destination: str, run: str, owner: str, now: datetime, lease: timedelta
    ) -> Claim | None:
        t = now.timestamp()
        params = (destination, run, owner, (now + lease).timestamp(), t, t, t)
        with self._cursor() as cur:
            cur.execute(self._sql(_CLAIM), params)
            row = cur.fetchone()
            if not row:
                return None
            cur.execute(self._sql(_LAST_UNTIL), (destination,))
            last = cur.fetchone()
            cur.execute(_EARLIEST)
            earliest = cur.fetchone()
        previous = datetime.fromtimestamp(float(last[0]), UTC) if last and last[0] else None
        first = (
            datetime.fromtimestamp(float(earliest[0]), UTC) if earliest and earliest[0] else None
        )
        return Claim(destination, run, owner, int(row[0]), previous, first)

    def finish(self, claim: Claim, until: datetime, *, posted: bool, now: datetime) -> bool:
        params = (until.timestamp(), int(posted), now.timestamp(), *_key(claim))
        return self._execute(_FINISH, params) == 1

    def release(self, claim: Claim, retry_at: datetime, error: str, now: datetime) -> None:
        self._execute(_RELEASE, (retry_at.timestamp(), error[:500], now.timestamp(), *_key(claim)))

    def limit(self, key: str, limit: int, window: float, now: float) -> float:
        with self._cursor(self._guard_wait) as cur:
            wait = events.limit(cur, self._sql, key, limit, window, now)
            self._pruner.maybe_prune(cur, self._sql, now, window)
        return wait

    def first_time(self, keys: Sequence[str], now: float) -> bool:
        with self._cursor(self._guard_wait) as cur:
            return events.first_time(cur, self._sql, keys, now)

    def close(self) -> None:
        self._connections.close()

    def _sql(self, statement: str) -> str:
        return statement.replace("?", self._placeholder)

    def _execute(self, statement: str, params: tuple[Any, ...]) -> int:
        with self._cursor() as cur:
            cur.execute(self._sql(statement), params)
            return int(cur.rowcount)

    @contextmanager
    def _cursor(self, timeout: float | None = None) -> Iterator[Any]:
        """A cursor on a connection of the store's; a driver error becomes a ``StateError``."""
        with self._connection(timeout) as conn:
            yield conn.cursor()

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        """A cursor whose statements commit together when the block ends, or, when it
        raises, not at all; a driver error becomes a ``StateError``."""
        with self._connection() as conn:
            if hasattr(conn, "transaction"):  # psycopg: its own BEGIN … COMMIT or ROLLBACK
                with conn.transaction():
                    yield conn.cursor()
                return
            # sqlite3 with isolation_level=None leaves transactions to us. IMMEDIATE takes
            # the write lock at once (waiting under the busy timeout), so a batch that has
            # begun is never refused it halfway by another process's writer.
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn.cursor()
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # SQLite rolls some failures back by itself
                    with suppress(*self._errors):  # the first error is the one to report
                        conn.execute("ROLLBACK")
                raise

    @contextmanager
    def _connection(self, timeout: float | None = None) -> Iterator[Any]:
        """A connection of the store's; a driver error becomes a ``StateError``."""
        try:
            with self._connections.connection(timeout) as conn:
                yield conn
        except self._errors as exc:
            reason = self._explain(exc)
            raise StateError(f"the state database {self.name} failed: {reason}") from None


def _key(claim: Claim) -> tuple[str, str, str]:
    return (claim.destination, claim.run, claim.owner)
