"""First-seen times written in one transaction per batch, on SQLite and PostgreSQL: one
commit a batch, a failed batch leaves none of its rows, and the times are what they were."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from bot.errors import StateError
from bot.state.open import open_store
from bot.state.sqlite import SqliteConnection
from bot.state.store import SqlStore
from tests.digest.conftest import PostgresServer, at

BATCH = 4  # rows a batch in these tests, so a few ids make several batches
BAD_ID = "refused"  # the id the failing trigger refuses

SQLITE_REFUSE = f"""CREATE TRIGGER refuse BEFORE INSERT ON first_seen
WHEN NEW.article_id = '{BAD_ID}' BEGIN SELECT RAISE(ABORT, 'refused by a test'); END"""
POSTGRES_REFUSE = (
    f"""CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.article_id = '{BAD_ID}' THEN RAISE EXCEPTION 'refused by a test'; END IF;
    RETURN NEW; END $$""",
    "CREATE TRIGGER refuse BEFORE INSERT ON first_seen FOR EACH ROW EXECUTE FUNCTION refuse()",
)


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.state.store.SEE_BATCH_ROWS", BATCH)


@pytest.fixture
def pg_database(postgres: PostgresServer) -> Iterator[str]:
    """The URL of a database of the test's own on the tests' server (the server's other
    tests share its ``first_seen`` table, which a test here adds a trigger to)."""
    name = f"see_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres.url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield postgres.url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(postgres.url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgres", "postgres-unpipelined"])
def store(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SqlStore]:
    """A fresh store. With libpq 14 or later psycopg sends ``executemany`` as one pipeline,
    which PostgreSQL runs as one implicit transaction even on an autocommit connection;
    with an older libpq it sends row by row, each committed on its own: the unpipelined
    variant is that case, where only ``see``'s own transaction keeps a batch whole."""
    if request.param == "postgres-unpipelined":
        monkeypatch.setattr(psycopg.Pipeline, "is_supported", classmethod(lambda cls: False))
    postgres = request.param.startswith("postgres")
    store = open_store(request.getfixturevalue("pg_database") if postgres else None, tmp_path)
    yield store
    store.close()


def ids(prefix: str, count: int) -> list[str]:
    return [f"{prefix}-{n}" for n in range(count)]


def test_see_gives_new_ids_now_and_keeps_earlier_times_across_batches(store: SqlStore) -> None:
    first = store.see(iter(ids("a", 6)), at("2026-01-10 07:00"))  # any iterable, 2 batches
    assert first == dict.fromkeys(ids("a", 6), at("2026-01-10 07:00"))
    again = store.see([*ids("a", 9), "b"], at("2026-01-10 08:00"))
    assert again == {
        **dict.fromkeys(ids("a", 6), at("2026-01-10 07:00")),
        **dict.fromkeys(["a-6", "a-7", "a-8", "b"], at("2026-01-10 08:00")),
    }
    assert store.see([], at("2026-01-10 09:00")) == again


def test_see_of_nothing_new_returns_every_first_seen_time(store: SqlStore) -> None:
    store.see(["x"], at("2026-01-10 07:00"))
    assert store.see(["x", "x"], at("2026-01-10 08:00")) == {"x": at("2026-01-10 07:00")}


def test_failed_batch_leaves_none_of_its_rows_and_keeps_earlier_batches(
    request: pytest.FixtureRequest, store: SqlStore, tmp_path: Path
) -> None:
    refuse = POSTGRES_REFUSE if "postgres" in request.node.callspec.id else (SQLITE_REFUSE,)
    with store._cursor() as cur:  # the store's own connection: a trigger is schema
        for statement in refuse:
            cur.execute(statement)
    # Batches of 4: ok-0..3 commit; ok-4, ok-5 precede the refused row in the second batch.
    doomed = [*ids("ok", 6), BAD_ID, "after"]
    with pytest.raises(StateError, match="refused by a test"):
        store.see(doomed, at("2026-01-10 07:00"))
    seen = store.see([], at("2026-01-10 08:00"))  # the connection is usable again
    assert seen == dict.fromkeys(ids("ok", 4), at("2026-01-10 07:00"))


def test_sqlite_commits_once_a_batch_with_every_insert_inside_it(tmp_path: Path) -> None:
    connections = SqliteConnection(tmp_path / "state.sqlite3")
    store = SqlStore(connections, "?", "test", errors=(sqlite3.Error,))
    trace: list[tuple[str, bool]] = []
    with connections.connection() as conn:
        conn.set_trace_callback(lambda sql: trace.append((sql, conn.in_transaction)))
    store.see(ids("a", 10), at("2026-01-10 07:00"))  # batches of 4, 4 and 2
    store.close()
    inserts = [open_ for sql, open_ in trace if sql.startswith("INSERT INTO first_seen")]
    assert len(inserts) == 10
    assert all(inserts), "an insert ran outside a transaction, so it committed on its own"
    assert [sql for sql, _ in trace if sql in ("BEGIN IMMEDIATE", "COMMIT")] == [
        "BEGIN IMMEDIATE",
        "COMMIT",
    ] * 3
