"""Opens the configured state store: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from bot.state.postgres import open_postgres
from bot.state.sqlite import open_sqlite
from bot.state.store import Claim, SqlStore
from bot.state.url import SQLITE_SCHEME, is_postgres, redact

SQLITE_NAME = "state.sqlite3"

__all__ = ["LazyStore", "lazy_store", "open_store", "redact"]


def open_store(state_url: str | None, data_dir: Path) -> SqlStore:
    """The store at ``state_url`` (PostgreSQL or SQLite URL), else SQLite in ``data_dir``.

    Raises:
        StateError: the store cannot be opened; the message never includes a password.
    """
    if state_url and is_postgres(state_url):
        return open_postgres(state_url)
    path = Path(state_url.removeprefix(SQLITE_SCHEME)) if state_url else data_dir / SQLITE_NAME
    return open_sqlite(path)


def lazy_store(state_url: str | None, data_dir: Path) -> LazyStore:
    """The store ``open_store`` opens, opened on first use."""
    return LazyStore(lambda: open_store(state_url, data_dir), shared=is_postgres(state_url))


class LazyStore:
    """A store opened on first use, so commands that never need state never open it.

    A failed open is tried again on the next use (a database down at start-up is
    used once it is up).

    Args:
        opener: opens the store.
        shared: whether the store is shared by replicas (known before it is opened).
    """

    def __init__(self, opener: Callable[[], SqlStore], *, shared: bool = False) -> None:
        self._opener = opener
        self._store: SqlStore | None = None
        self._lock = threading.Lock()
        self.shared = shared

    def _get(self) -> SqlStore:
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

    def limit(self, key: str, limit: int, window: float, now: float) -> float:
        return self._get().limit(key, limit, window, now)

    def first_time(self, keys: Sequence[str], now: float) -> bool:
        return self._get().first_time(keys, now)

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
