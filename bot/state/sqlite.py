"""The SQLite state store: one file, one connection per process, WAL mode."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.errors import StateError
from bot.state.store import SqlStore

#: How long a statement waits for another process's write lock (SQLite's busy timeout).
BUSY_SECONDS = 30
#: The error codes of a file that is damaged, or is not a SQLite database at all.
DAMAGED = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}


class SqliteConnection:
    """One connection shared by a process's threads, one statement sequence at a time."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(
            path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
        )
        self._lock = threading.Lock()
        try:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
        except sqlite3.Error:
            self._conn.close()
            raise

    @contextmanager
    def connection(self, timeout: float | None = None) -> Iterator[sqlite3.Connection]:
        """The connection, for this thread alone during the block."""
        if not self._lock.acquire(timeout=-1 if timeout is None else timeout):
            raise sqlite3.OperationalError("the state database is busy")
        try:
            yield self._conn
        finally:
            self._lock.release()

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def open_sqlite(path: Path) -> SqlStore:
    """The SQLite store at ``path``, created when missing.

    Raises:
        StateError: the file cannot be opened, is damaged, or is not a database.
    """

    def explain(exc: Exception) -> str:
        return damaged(exc) if _is_damaged(exc) else str(exc)

    try:
        return SqlStore(
            SqliteConnection(path), "?", str(path), errors=(sqlite3.Error,), explain=explain
        )
    except (OSError, sqlite3.Error) as exc:
        raise StateError(f"cannot open the state database {path}: {explain(exc)}") from None


def damaged(exc: Exception) -> str:
    """What to say about a damaged state database: the error, and the way out."""
    return (
        f"{exc}: the file is damaged; move it away and teambot starts a new one, "
        "forgetting only when articles were first seen and which digests were posted"
    )


def _is_damaged(exc: Exception) -> bool:
    return isinstance(exc, sqlite3.DatabaseError) and (
        getattr(exc, "sqlite_errorname", "") in DAMAGED
        or "malformed" in str(exc)
        or "not a database" in str(exc)
    )
