"""The PostgreSQL state store: a pool of connections, each checked before use, so a restarted
server is reconnected to on the next statement; its password reaches no message or log line."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bot.errors import StateError
from bot.signals import signals_blocked
from bot.state.store import SqlStore
from bot.state.url import Scrubber, check_postgres_url, redact, scrub

#: libpq's connect_timeout: a server that has not answered in this long is taken to be down.
CONNECT_SECONDS = 10
#: How long a statement waits for a connection from the pool before it fails (the
#: scheduler retries on its next tick, a chat /digest says the store is unavailable).
WAIT_SECONDS = 10.0
#: How long a chat request's rate-limit or seen-event check waits for a connection: Slack
#: and Discord want an acknowledgement within 3 s, and the adapters fall back to their own
#: in-process checks when the store cannot answer in time.
GUARD_WAIT_SECONDS = 0.5
#: How long the pool keeps retrying one lost connection (waiting 1, 2, 4 … s between
#: tries) before it gives up, and the next statement starts a fresh try at once: so a
#: server back after a long outage is reconnected to within about 16 s, not minutes.
RECONNECT_SECONDS = 30.0
#: Connections a process may hold: the scheduler, the corpus watcher, digests and the chat
#: checks of one process rarely have more statements in flight at once.
POOL_SIZE = 8
#: The loggers psycopg writes its own records to (the pool logs failed reconnections).
DRIVER_LOGGERS = ("psycopg", "psycopg.pool")


def open_postgres(url: str, *, wait: float | None = None) -> SqlStore:
    """The store at PostgreSQL ``url``, with its tables created when missing.

    Args:
        url: a ``postgresql://`` URL.
        wait: how long a statement waits for a connection before it fails
            (``WAIT_SECONDS`` by default).

    Raises:
        StateError: psycopg is not installed, the URL is malformed, or the server cannot
            be reached; the message never includes the password.
    """
    try:
        import psycopg
        from psycopg_pool import ConnectionPool, PoolTimeout
    except ImportError:
        raise StateError(
            "TEAMBOT_STATE_URL is a PostgreSQL URL but psycopg or psycopg-pool is not "
            "installed; install teambot[postgres]"
        ) from None
    name = redact(url)
    wait = WAIT_SECONDS if wait is None else wait
    try:
        check_postgres_url(url)
    except ValueError as exc:
        raise StateError(f"invalid TEAMBOT_STATE_URL {name}: {exc}") from None

    def explain(exc: Exception) -> str:
        if isinstance(exc, PoolTimeout):
            return f"no connection to the server within {wait:g} s (is it running?)"
        text = str(exc).strip()
        return scrub(text.splitlines()[0] if text else type(exc).__name__, url)

    options: dict[str, Any] = {"autocommit": True, "connect_timeout": CONNECT_SECONDS}
    try:
        # One connection first, for a clear reason when the server refuses us.
        psycopg.connect(url, **options).close()
    except psycopg.Error as exc:
        raise StateError(f"cannot open the state database {name}: {explain(exc)}") from None
    with signals_blocked():  # the pool's worker threads must leave Ctrl-C to the main thread
        pool = ConnectionPool(
            url,
            kwargs=options,
            min_size=1,
            max_size=POOL_SIZE,
            open=False,
            check=ConnectionPool.check_connection,
            timeout=wait,
            reconnect_timeout=RECONNECT_SECONDS,
            name="teambot-state",
        )
        pool.open()
    connections = _Pool(pool, Scrubber(url))
    try:
        return SqlStore(
            connections,
            "%s",
            name,
            errors=(psycopg.Error,),
            explain=explain,
            shared=True,
            guard_wait=GUARD_WAIT_SECONDS,
        )
    except StateError:
        connections.close()
        raise


class _Pool:
    """The pool as a store's ``Connections``; while open, the password is masked in the
    records of psycopg's loggers and of every handler of the root logger."""

    def __init__(self, pool: Any, scrubber: Scrubber) -> None:
        self._pool = pool
        self._scrubber = scrubber
        self._filtered: list[logging.Filterer] = [logging.getLogger(n) for n in DRIVER_LOGGERS]
        self._filtered += logging.getLogger().handlers
        for target in self._filtered:
            target.addFilter(scrubber)

    @contextmanager
    def connection(self, timeout: float | None = None) -> Iterator[Any]:
        with self._pool.connection(timeout) as conn:
            yield conn

    def close(self) -> None:
        self._pool.close()
        for target in self._filtered:
            target.removeFilter(self._scrubber)
