"""The SQLite store: a damaged file, or one that is no database, is reported clearly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.errors import StateError
from bot.state.open import SQLITE_NAME, open_store
from tests.digest.conftest import at

PAGE = 4096  # SQLite's default page size: page 2 holds the first table's rows


def damage(path: Path) -> None:
    """Overwrites the start of the file's second page, as a failing disk might."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every row in the main file
    conn.close()
    with path.open("r+b") as file:
        file.seek(PAGE)
        file.write(bytes(200))


def test_damaged_page_is_a_state_error_that_says_what_to_do(tmp_path: Path) -> None:
    store = open_store(None, tmp_path)
    store.see(["a", "b"], at("2026-01-10 07:00"))
    store.close()
    damage(tmp_path / SQLITE_NAME)
    store = open_store(None, tmp_path)
    with pytest.raises(StateError) as info:
        store.see(["c"], at("2026-01-10 08:00"))
    store.close()
    message = str(info.value)
    assert f"the state database {tmp_path / SQLITE_NAME} failed" in message
    assert "malformed: the file is damaged; move it away and teambot starts a new one" in message


def test_file_that_is_not_a_database_is_a_state_error(tmp_path: Path) -> None:
    (tmp_path / SQLITE_NAME).write_text("not a database, but a note someone left\n" * 200)
    with pytest.raises(StateError, match="cannot open the state database .* the file is damaged"):
        open_store(None, tmp_path)
