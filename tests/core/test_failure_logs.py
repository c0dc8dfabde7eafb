"""A logged failure says what failed and why; its traceback is there at DEBUG."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import pytest

import adapters.cli
from bot import live as live_module
from bot import logs
from bot.bootstrap import build_app
from bot.digest.schedule import Destination, Schedule
from bot.digest.scheduler import Scheduler
from bot.errors import CorpusError
from bot.live import LiveCorpus
from bot.logs import MAX_REASON, log_failure, reason
from bot.service import TeamBot
from bot.state.open import open_store
from tests.conftest import SEEDS, settings_for


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """``configure_logging`` replaces the root logger's handlers: put them back."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _lines(caplog: pytest.LogCaptureFixture, at_least: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= at_least]


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[BaseException | None]:
    return [r.exc_info[1] for r in caplog.records if r.levelno == logging.DEBUG and r.exc_info]


class _DeadStore:
    """A state store whose database is gone."""

    def __init__(self) -> None:
        self.error = sqlite3.OperationalError("unable to open database file")

    def claim(self, *args: Any, **kwargs: Any) -> None:
        raise self.error


def test_scheduler_failure_logs_its_reason_and_traceback_at_debug(
    caplog: pytest.LogCaptureFixture,
) -> None:
    destination = Destination("console", "terminal", Schedule(clock_time(8, 0), UTC))
    store = _DeadStore()
    scheduler = Scheduler(
        [destination],
        store,  # type: ignore[arg-type]
        lambda window: pytest.fail("no digest without a claim"),
        {},
        clock=lambda: datetime(2026, 1, 10, 9, 0, tzinfo=UTC),
    )
    with caplog.at_level(logging.DEBUG, logger="teambot"):
        assert scheduler.tick() == []
    assert _lines(caplog, logging.WARNING) == [
        f"digest for {destination.key} failed: OperationalError: unable to open database file"
    ]
    assert _tracebacks(caplog) == [store.error]


def test_failed_digest_attempt_logs_its_reason_and_traceback_at_debug(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    destination = Destination("console", "terminal", Schedule(clock_time(8, 0), UTC))
    error = ConnectionError("platform unreachable")

    def build(window: object) -> None:
        raise error

    scheduler = Scheduler(
        [destination],
        open_store(None, tmp_path),
        build,  # type: ignore[arg-type]
        {},
        clock=lambda: datetime(2026, 1, 10, 9, 0, tzinfo=UTC),
    )
    with caplog.at_level(logging.DEBUG, logger="teambot"):
        assert [o.result for o in scheduler.tick()] == ["failed"]
    (line,) = _lines(caplog, logging.WARNING)
    assert "ConnectionError: platform unreachable" in line
    assert _tracebacks(caplog) == [error]


def _watch_until_logged(live: LiveCorpus, caplog: pytest.LogCaptureFixture) -> list[str]:
    stop = threading.Event()
    with caplog.at_level(logging.DEBUG, logger="teambot"):
        live.watch(stop, 0.01)
        deadline = time.monotonic() + 10
        while not _tracebacks(caplog) and time.monotonic() < deadline:
            time.sleep(0.01)
        stop.set()
    return _lines(caplog, logging.WARNING)


def _failing_live_bot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> tuple[TeamBot, LiveCorpus]:
    """A running bot whose next index update raises ``error``; a file is added."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    app = build_app(settings_for(corpus, tmp_path / "data"))

    def update(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(live_module, "update", update)
    (corpus / "new.md").write_text("Kling 4.0 Arrives\n\nKuaishou shipped Kling 4.0.\n")
    return app.bot, app.corpus


def test_corpus_reload_failure_logs_its_reason_and_traceback_at_debug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    error = MemoryError("cannot allocate 2 GiB")
    bot, live = _failing_live_bot(tmp_path, monkeypatch, error)
    before = bot.fingerprint
    lines = _watch_until_logged(live, caplog)
    assert lines[0] == (
        "corpus reload failed; keeping the current index: MemoryError: cannot allocate 2 GiB"
    )
    assert _tracebacks(caplog)[0] is error
    assert bot.fingerprint == before


def test_corpus_not_reloaded_names_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    error = CorpusError("no articles in /srv/news")
    _, live = _failing_live_bot(tmp_path, monkeypatch, error)
    lines = _watch_until_logged(live, caplog)
    assert lines[0] == "corpus not reloaded: CorpusError: no articles in /srv/news"


def test_reason_is_one_bounded_line() -> None:
    assert reason(TimeoutError()) == "TimeoutError"
    assert reason(ValueError("bad\n  value")) == "ValueError: bad value"
    long = reason(ValueError("x" * 10_000))
    assert len(long) == len("ValueError: ") + MAX_REASON + 1 and long.endswith("…")


def _fail_and_log() -> None:
    try:
        raise RuntimeError("index exploded")
    except RuntimeError as exc:
        log_failure(logging.getLogger("teambot.test"), logging.ERROR, "thing %s failed", 7, exc=exc)


@pytest.mark.usefixtures("restore_logging")
def test_cli_log_shows_the_reason_and_the_traceback_only_at_debug(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logs.configure_logging("WARNING")
    _fail_and_log()
    assert (
        capsys.readouterr().err == "teambot: error: thing 7 failed: RuntimeError: index exploded\n"
    )
    logs.configure_logging("DEBUG")
    _fail_and_log()
    err = capsys.readouterr().err
    assert err.startswith("teambot: error: thing 7 failed: RuntimeError: index exploded\n")
    assert "teambot: debug: thing 7 failed: traceback\nTraceback (most recent call last):" in err
    assert 'raise RuntimeError("index exploded")' in err


def _log_exception(secret: str = "") -> None:
    try:
        raise ConnectionResetError(f"peer reset {secret}".strip())
    except ConnectionResetError:
        logging.getLogger("teambot.test").exception("error while answering a chat request")


@pytest.mark.usefixtures("restore_logging")
def test_cli_log_of_an_exception_names_it_and_shows_its_traceback_only_at_debug(
    capsys: pytest.CaptureFixture[str],
) -> None:
    logs.configure_logging("WARNING")
    _log_exception()
    expected = (
        "teambot: error: error while answering a chat request: ConnectionResetError: peer reset"
    )
    assert capsys.readouterr().err == expected + "\n"
    logs.configure_logging("DEBUG")
    _log_exception()
    err = capsys.readouterr().err
    assert err.startswith(
        "teambot: error: error while answering a chat request\nTraceback (most recent call last):"
    )
    assert err.rstrip().endswith("ConnectionResetError: peer reset")


class _MaskSecret(logging.Filter):
    """What a redaction filter does: scrubs the message and keeps a scrubbed traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = text.replace("hunter22secret", "[redacted]")
        return True


@pytest.mark.usefixtures("restore_logging")
def test_cli_log_of_an_exception_shows_the_redacted_copy(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for level in ("WARNING", "DEBUG"):
        logs.configure_logging(level)
        logging.getLogger().handlers[0].addFilter(_MaskSecret())
        _log_exception("hunter22secret")
        err = capsys.readouterr().err
        assert "ConnectionResetError: peer reset [redacted]" in err
        assert "hunter22secret" not in err


@pytest.mark.usefixtures("restore_logging")
def test_cli_unexpected_error_shows_its_traceback_at_debug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def broken(self: TeamBot, question: str) -> None:
        raise RuntimeError("index exploded")

    monkeypatch.setattr(TeamBot, "ask", broken)
    monkeypatch.setenv("TEAMBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TEAMBOT_LOG_LEVEL", "DEBUG")
    assert adapters.cli.main(["ask", "What is RynnBrain?"]) == 1
    err = capsys.readouterr().err
    assert "teambot: debug: unexpected error\nTraceback (most recent call last):" in err
    assert "RuntimeError: index exploded" in err
