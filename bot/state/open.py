"""Opens the configured state store: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bot.errors import StateError
from bot.state.store import Claim, SqlStore, StateStore

SQLITE_NAME = "state.sqlite3"


def open_store(state_url: str | None, data_dir: Path) -> SqlStore:
    """The store at ``state_url`` (PostgreSQL or SQLite URL), else SQLite in ``data_dir``.

    Raises:
        StateError: the store cannot be opened; the message never includes a password.
    """
    if state_url and state_url.startswith(("postgresql://", "postgres://")):
        return _postgres(state_url)
    path = Path(state_url.removeprefix("sqlite:///")) if state_url else data_dir / SQLITE_NAME
    return _sqlite(path)


def redact(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _sqlite(path: Path) -> SqlStore:
    def connect() -> sqlite3.Connection:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    try:
        return SqlStore(connect, "?", str(path))
    except (OSError, sqlite3.Error) as exc:
        raise StateError(f"cannot open the state database {path}: {exc}") from None


def _postgres(url: str) -> SqlStore:
    try:
        import psycopg
    except ImportError:
        raise StateError(
            "TEAMBOT_STATE_URL is a PostgreSQL URL but psycopg is not installed; "
            "install teambot[postgres]"
        ) from None

    def connect() -> Any:
        return psycopg.connect(url, autocommit=True, connect_timeout=10)

    try:
        return SqlStore(connect, "%s", redact(url))
    except psycopg.Error as exc:
        reason = (
            str(exc).replace(url, redact(url)).splitlines()[0] if str(exc) else type(exc).__name__
        )
        raise StateError(f"cannot open the state database {redact(url)}: {reason}") from None


class LazyStore:
    """A ``StateStore`` opened on first use, so commands that never need state never open it."""

    def __init__(self, opener: Callable[[], StateStore]) -> None:
        self._opener = opener
        self._store: StateStore | None = None
        self._lock = threading.Lock()

    def _get(self) -> StateStore:
        with self._lock:
            if self._store is None:
                self._store = self._opener()
            return self._store

    def see(self, article_ids: Iterable[str], now: datetime) -> dict[str, datetime]:
        return self._get().see(article_ids, now)

    def claim(
        self, destination: str, run: str, owner: str, now: datetime, lease: timedelta
    ) -> Claim | None:
        return self._get().claim(destination, run, owner, now, lease)

    def finish(self, claim: Claim, until: datetime, *, posted: bool, now: datetime) -> bool:
        return self._get().finish(claim, until, posted=posted, now=now)

    def release(self, claim: Claim, retry_at: datetime, error: str, now: datetime) -> None:
        self._get().release(claim, retry_at, error, now)

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
