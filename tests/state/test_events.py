"""Rate limits and seen events in the state store: one count for every replica sharing it."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.state import events
from bot.state.open import open_store
from bot.state.store import SqlStore

OpenStore = Callable[[], SqlStore]


@pytest.fixture(params=["sqlite", "postgres"])
def replicas(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OpenStore]:
    """Opens stores on one database, as separate replicas would (each its own connections)."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    opened: list[SqlStore] = []

    def make() -> SqlStore:
        opened.append(open_store(url, tmp_path))
        return opened[-1]

    yield make
    for store in opened:
        store.close()


def _key() -> str:
    return f"slack:U{uuid.uuid4().hex[:8]}"  # the PostgreSQL server outlives a test


def test_replicas_share_one_rate_limit(replicas: OpenStore) -> None:
    a, b = replicas(), replicas()
    user, other = _key(), _key()
    assert a.limit(user, 3, 60, 1000.0) == 0
    assert b.limit(user, 3, 60, 1001.0) == 0
    assert a.limit(user, 3, 60, 1002.0) == 0
    assert b.limit(user, 3, 60, 1010.0) == pytest.approx(50.0)  # the first leaves at 1060
    assert a.limit(other, 3, 60, 1010.0) == 0  # others unaffected
    assert b.limit(user, 3, 60, 1060.0) == 0  # the first request has left the window


def test_concurrent_requests_never_pass_the_limit(replicas: OpenStore) -> None:
    stores, user = [replicas(), replicas()], _key()
    allowed: list[bool] = []
    start = threading.Barrier(12)

    def ask(store: SqlStore) -> None:
        start.wait()
        allowed.append(store.limit(user, 5, 60, 2000.0) == 0)

    threads = [threading.Thread(target=ask, args=(stores[i % 2],)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert allowed.count(True) == 5 and len(allowed) == 12


def test_an_event_seen_by_one_replica_is_not_new_to_another(replicas: OpenStore) -> None:
    a, b = replicas(), replicas()
    event, message = _key(), _key()
    assert a.first_time([event, message], 1000.0)
    assert not b.first_time([event], 1001.0)  # the same event, retried to another replica
    assert not b.first_time([_key(), message], 1001.0)  # the same message, as another event
    assert b.first_time([_key(), ""], 1002.0)  # empty keys are ignored


def test_concurrent_deliveries_of_one_event_are_new_once(replicas: OpenStore) -> None:
    stores, event = [replicas(), replicas()], _key()
    new: list[bool] = []
    start = threading.Barrier(10)

    def deliver(store: SqlStore) -> None:
        start.wait()
        new.append(store.first_time([event], 3000.0))

    threads = [threading.Thread(target=deliver, args=(stores[i % 2],)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert new.count(True) == 1 and len(new) == 10


class _Interleaved:
    """A store's connections that run ``meanwhile`` once, right after the first statement
    on the seen-events table: whatever that store does next comes after it."""

    def __init__(self, inner: Any, meanwhile: Callable[[], object]) -> None:
        self._inner = inner
        self._meanwhile: Callable[[], object] | None = meanwhile

    @contextmanager
    def connection(self, timeout: float | None = None) -> Iterator[Any]:
        with self._inner.connection(timeout) as conn:
            yield _Connection(conn, self)

    def after(self, statement: str) -> None:
        if "seen_events" in statement and self._meanwhile is not None:
            meanwhile, self._meanwhile = self._meanwhile, None
            meanwhile()

    def close(self) -> None:
        self._inner.close()


class _Connection:
    def __init__(self, conn: Any, hooks: _Interleaved) -> None:
        self._conn, self._hooks = conn, hooks

    def cursor(self) -> Any:
        return _Cursor(self._conn.cursor(), self._hooks)


class _Cursor:
    def __init__(self, cur: Any, hooks: _Interleaved) -> None:
        self._cur, self._hooks = cur, hooks

    def execute(self, statement: str, params: Any = ()) -> Any:
        result = self._cur.execute(statement, params)
        self._hooks.after(statement)
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cur, name)


def test_another_replicas_check_between_ones_statements_leaves_the_event_new_once(
    replicas: OpenStore,
) -> None:
    """Replica B checks the event's id and message while A is part way through its own
    check of the same two keys: exactly one of them may answer (it was none when each
    key had its own statement: each recorded one key first and found the other taken)."""
    a, b = replicas(), replicas()
    keys = [_key(), _key()]
    b_new: list[bool] = []
    a._connections = _Interleaved(  # noqa: SLF001 - B's check goes between A's statements
        a._connections,  # noqa: SLF001
        lambda: b_new.append(b.first_time(list(reversed(keys)), 4000.0)),
    )
    a_new = a.first_time(keys, 4000.0)
    assert len(b_new) == 1 and [a_new, *b_new].count(True) == 1


def test_only_postgres_is_shared(replicas: OpenStore, request: pytest.FixtureRequest) -> None:
    assert replicas().shared is ("postgres" in request.node.callspec.id)


def test_expired_limits_and_events_are_pruned(tmp_path: Path) -> None:
    store = open_store(None, tmp_path)
    store.limit("slack:old", 5, 60, 1000.0)
    store.limit("slack:new", 5, 60, 5000.0)
    store.first_time(["slack:Ev-old"], 1000.0)
    store.first_time(["slack:Ev-new"], 5000.0 - events.SEEN_FOR / 2)
    with store._cursor() as cur:  # noqa: SLF001 - what is left in the tables
        events.Pruner(one_in=1).maybe_prune(cur, store._sql, 5000.0, 60)  # noqa: SLF001
        cur.execute("SELECT key FROM rate_limits UNION ALL SELECT key FROM seen_events")
        assert sorted(k for (k,) in cur.fetchall()) == ["slack:Ev-new", "slack:new"]
    store.close()
