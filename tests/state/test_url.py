"""The PostgreSQL password never reaches a message or a log line, however it is written."""

from __future__ import annotations

import logging
import sys
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.bootstrap import build_bot
from bot.digest.schedule import Destination, Schedule
from bot.digest.scheduler import Scheduler
from bot.digest.window import Window
from bot.errors import ConfigError, StateError
from bot.models import Digest
from bot.settings import load_settings
from bot.state.open import open_store
from bot.state.url import Scrubber, redact, scrub
from tests.conftest import settings_for
from tests.digest.conftest import PostgresServer, at

SECRET = "Pg#S3cret"
# Each way a password is written in a URL, to a port where no server listens.
URLS = {
    "hash": f"postgresql://u:{SECRET}@127.0.0.1:1/db",
    "slash": "postgresql://u:Pg/S3cret@127.0.0.1:1/db",
    "at sign": "postgresql://u:Pg@S3cret@127.0.0.1:1/db",
    "parameter": f"postgresql://u@127.0.0.1:1/db?password={SECRET}&sslmode=disable",
    "encoded": "postgresql://u:Pg%23S3cret@127.0.0.1:1/db",
    "space": "postgresql://u:Pg S3cret@127.0.0.1:1/db",
}


def _refusal(url: str) -> str:
    """What teambot says about ``url``: at start-up (settings), else when it opens the store."""
    try:
        load_settings(state_url=url, _env_file=None)
        open_store(url, Path("."))
    except (ConfigError, StateError) as exc:
        return str(exc)
    raise AssertionError("the URL was accepted")


@pytest.mark.parametrize("url", URLS.values(), ids=URLS.keys())
def test_password_is_in_no_message(url: str) -> None:
    message = _refusal(url)
    assert "S3cret" not in message
    assert "Pg" not in message


def test_slash_or_at_sign_in_password_is_refused_with_how_to_encode_it() -> None:
    for url in (URLS["slash"], URLS["at sign"]):
        with pytest.raises(ConfigError, match="percent-encode them .'/' as %2F, '@' as %40"):
            load_settings(state_url=url, _env_file=None)


def test_port_that_is_not_a_number_is_refused_at_start_up() -> None:
    with pytest.raises(ConfigError, match="TEAMBOT_STATE_URL: the port 'abc' is not a number"):
        load_settings(state_url="postgresql://u:p@db.example:abc/teambot", _env_file=None)


def test_redact_keeps_everything_but_the_password() -> None:
    assert redact(URLS["hash"]) == "postgresql://u:***@127.0.0.1:1/db"
    assert redact(URLS["parameter"]) == "postgresql://u@127.0.0.1:1/db?password=***&sslmode=disable"
    assert redact("postgresql://h/db") == "postgresql://h/db"
    assert redact("sqlite:///tmp/s.db") == "sqlite:///tmp/s.db"


def test_scrub_masks_every_form_the_driver_may_quote() -> None:
    quoted = 'unexpected spaces found in "Pg S3cret", use percent-encoded spaces (%20)'
    assert "S3cret" not in scrub(quoted, URLS["space"])
    assert scrub(f"password Pg#S3cret for {URLS['encoded']}", URLS["encoded"]) == (
        "password *** for postgresql://u:***@127.0.0.1:1/db"
    )


def test_log_filter_masks_messages_arguments_and_tracebacks() -> None:
    try:
        raise RuntimeError(f"cannot reach {URLS['hash']}")
    except RuntimeError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "opening %s", (URLS["hash"],), sys.exc_info()
        )
    assert Scrubber(URLS["hash"]).filter(record)
    assert record.getMessage() == "opening postgresql://u:***@127.0.0.1:1/db"
    assert record.exc_text is not None and "S3cret" not in record.exc_text


def _never_built(window: Window) -> Digest:
    raise AssertionError("no claim can be made while the server is down")


def test_password_is_in_no_log_line(
    postgres: PostgresServer,
    corpus: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.INFO)
    # A statement gives up on the stopped server after 1 s, not the 10 s default: the pool
    # has logged its failed reconnections by then (asserted below), and nothing else waits.
    monkeypatch.setattr("bot.state.postgres.WAIT_SECONDS", 1.0)
    # The index is built while no server answers: a warning says why first-seen times wait.
    build_bot(settings_for(corpus, tmp_path / "a", state_url=URLS["hash"]))
    # A store in use when its server stops: the pool's and the scheduler's records.
    url = postgres.url.replace("teambot@", f"teambot:{SECRET}@")  # trust: any password will do
    store = open_store(url, tmp_path)
    daily = Schedule(time(7, 0), ZoneInfo("UTC"))
    scheduler = Scheduler(
        [Destination("console", "secret", daily)],
        store,
        _never_built,
        {},
        clock=lambda: at("2026-01-10 07:05"),
    )
    postgres.stop()
    try:
        scheduler.tick()
    finally:
        postgres.start()
        store.close()
    lines = [r.getMessage() + (r.exc_text or "") for r in caplog.records]
    assert any("cannot record when articles were first seen" in line for line in lines)
    assert any("digest for console:secret failed" in line for line in lines)
    assert any(r.name.startswith("psycopg") for r in caplog.records)  # the pool's own records
    assert not [line for line in lines if "S3cret" in line]
    assert "S3cret" not in caplog.text
