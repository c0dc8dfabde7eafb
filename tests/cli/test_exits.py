"""Bad input and broken state end in a clear message and exit 2, never "unexpected" (exit 1)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.state.open import SQLITE_NAME
from tests.cli.test_cli import run
from tests.state.test_sqlite import damage


def _refused(out: subprocess.CompletedProcess[str]) -> str:
    assert out.returncode == 2, out.stderr
    assert "unexpected" not in out.stderr and "Traceback" not in out.stderr
    return out.stderr


def test_damaged_state_database(cached_index: Path) -> None:
    assert run("digest", data_dir=cached_index).returncode == 0
    damage(cached_index / SQLITE_NAME)
    stderr = _refused(run("digest", data_dir=cached_index))
    assert "database disk image is malformed: the file is damaged; move it away" in stderr


def test_date_past_the_last_one_a_window_can_hold(tmp_path: Path) -> None:
    stderr = _refused(run("digest", "--date", "9999-12-31", data_dir=tmp_path))
    assert "invalid --date '9999-12-31': expected a date from 0001-01-02 to 9999-12-30" in stderr


def test_corpus_path_too_long_for_the_system(tmp_path: Path) -> None:
    stderr = _refused(run("digest", "--corpus", "a" * 100_000, data_dir=tmp_path))
    assert stderr.startswith("teambot: error: cannot use aaaa")
    assert stderr.rstrip().endswith("… (100,000 characters): File name too long")
    assert len(stderr) < 300


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://u:p@db.example:abc/teambot", "the port 'abc' is not a number"),
        ("postgresql://u:Pg/S3cret@127.0.0.1:1/db", "percent-encode them"),
        ("postgresql://u:Pg#S3cret@127.0.0.1:1/db", "postgresql://u:***@127.0.0.1:1/db"),
        ("postgresql://u@127.0.0.1:1/db?password=Pg#S3cret", "?password=***: connection"),
    ],
)
def test_state_url_refused_without_its_password(url: str, message: str, cached_index: Path) -> None:
    stderr = _refused(run("digest", data_dir=cached_index, TEAMBOT_STATE_URL=url))
    assert message in stderr
    assert "S3cret" not in stderr
