"""Progress of a long build: a bar on a terminal once the build has lasted a while, log
lines elsewhere, nothing for a short build, and never an exception into the build."""

from __future__ import annotations

import errno
import fcntl
import io
import logging
import os
import pty
import select
import struct
import termios
import threading
import time
from collections.abc import Iterator
from typing import TextIO

import pytest
from tqdm._monitor import TMonitor

from bot.progress import PROGRESS_LOG_SECONDS, start_progress

SHORT_DELAY = 0.05  # seconds: the bar's delay in these tests, for a bar to appear quickly


class FakeClock:
    """Seconds that pass only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(params=[(24, 100), (0, 0)], ids=["sized", "unsized"])
def terminal(request: pytest.FixtureRequest) -> Iterator[tuple[TextIO, int]]:
    """A pseudo-terminal, 100 columns wide or with no size set: a text stream on its slave
    side, and its master's descriptor."""
    master, slave = pty.openpty()
    rows, columns = request.param
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    stream = os.fdopen(slave, "w")
    yield stream, master
    stream.close()
    os.close(master)


def drawn(master: int, wait: float = 0.2) -> str:
    """What has been written to the terminal, waiting ``wait`` seconds for more."""
    out = b""
    while select.select([master], [], [], wait)[0]:
        out += os.read(master, 65536)
    return out.decode("utf-8", "replace")


@pytest.fixture
def teambot_info(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="teambot")
    return caplog


def lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "teambot"]


def test_bar_on_a_terminal_shows_files_of_total_and_passages(
    terminal: tuple[TextIO, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.progress.BAR_DELAY_SECONDS", SHORT_DELAY)
    stream, master = terminal
    with start_progress("indexing", 10, stream=stream) as progress:
        time.sleep(3 * SHORT_DELAY)  # past the delay and tqdm's 0.1 s between redraws
        progress.update(files=3, passages=1234)
        assert not any(isinstance(t, TMonitor) for t in threading.enumerate())
    stream.flush()
    screen = drawn(master)
    assert "indexing" in screen
    assert "3/10" in screen
    assert "1,234 passages" in screen
    assert "files/s" in screen


def test_bar_is_not_drawn_for_a_build_shorter_than_its_delay(
    terminal: tuple[TextIO, int], teambot_info: pytest.LogCaptureFixture
) -> None:
    stream, master = terminal
    with start_progress("indexing", 10, stream=stream) as progress:
        progress.update(files=10, passages=50)
    stream.flush()
    assert drawn(master, wait=0.05) == ""
    assert lines(teambot_info) == []


def test_log_lines_once_an_interval_with_counts_and_time_left(
    teambot_info: pytest.LogCaptureFixture,
) -> None:
    clock, stream = FakeClock(), io.StringIO()
    progress = start_progress("indexing", 200_000, stream=stream, clock=clock)
    clock.advance(PROGRESS_LOG_SECONDS / 2)
    progress.update(files=6_000, passages=40_000)
    assert lines(teambot_info) == []  # not yet an interval
    clock.advance(PROGRESS_LOG_SECONDS * 0.7)  # 12 s in: 1,000 files a second
    progress.update(files=6_000, passages=40_123)
    progress.update(files=0)  # no line again until another interval has passed
    clock.advance(PROGRESS_LOG_SECONDS / 2)
    progress.update(files=3_000)
    clock.advance(PROGRESS_LOG_SECONDS / 2)  # 22 s in: 15,000 files
    progress.update(files=0)
    clock.advance(63)
    progress.update(files=185_000, passages=920_000)
    progress.close()
    assert lines(teambot_info) == [
        "indexing: 12,000 of 200,000 files, 80,123 passages, about 3 min 8 s left",
        "indexing: 15,000 of 200,000 files, 80,123 passages, about 4 min 31 s left",
        "indexing: 200,000 of 200,000 files, 1,000,123 passages",
        "indexing: done, 200,000 of 200,000 files, 1,000,123 passages in 1 min 25 s",
    ]
    assert stream.getvalue() == ""  # not a terminal: no bar


def test_log_lines_without_a_total_give_no_time_left(
    teambot_info: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock()
    with start_progress("indexing", None, stream=io.StringIO(), clock=clock) as progress:
        clock.advance(PROGRESS_LOG_SECONDS)
        progress.update(files=500, passages=1_200)
    assert lines(teambot_info)[0] == "indexing: 500 files, 1,200 passages"


def test_fast_build_logs_nothing(teambot_info: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    with start_progress("indexing", 1_000, stream=io.StringIO(), clock=clock) as progress:
        for _ in range(9):
            clock.advance(PROGRESS_LOG_SECONDS / 10)
            progress.update(files=100, passages=700)
    assert lines(teambot_info) == []


def test_update_and_close_after_close_neither_raise_nor_count(
    teambot_info: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock()
    progress = start_progress("indexing", 10, stream=io.StringIO(), clock=clock)
    progress.update(files=2, passages=3)
    progress.close()
    clock.advance(PROGRESS_LOG_SECONDS * 2)
    progress.update(files=5, passages=5)
    progress.close()
    assert (progress.files, progress.passages) == (2, 3)
    assert lines(teambot_info) == []


class FailingTerminal(io.StringIO):
    """A terminal whose writes fail once ``broken`` is set, as a non-blocking one's do
    when it is full (tqdm itself ignores only EIO and writes to a closed file)."""

    broken = False

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self.broken:
            raise BlockingIOError(errno.EAGAIN, "Resource temporarily unavailable")
        return super().write(text)


@pytest.mark.parametrize("breaks_before", ["update", "close"])
def test_a_terminal_that_fails_breaks_neither_update_nor_close(
    breaks_before: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.progress.BAR_DELAY_SECONDS", SHORT_DELAY)
    stream = FailingTerminal()
    with start_progress("indexing", 10, stream=stream) as progress:
        stream.broken = breaks_before == "update"
        time.sleep(3 * SHORT_DELAY)  # past the delay: update draws
        progress.update(files=4, passages=9)
        stream.broken = True  # close draws the bar's last state
    progress.update(files=1)
    progress.close()
    assert (progress.files, progress.passages) == (4, 9)
    assert ("4/10" in stream.getvalue()) is (breaks_before == "close")


def test_a_log_that_fails_breaks_nothing_and_progress_still_counts(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def refuse(record: logging.LogRecord) -> bool:
        raise RuntimeError("a filter that fails")

    caplog.set_level(logging.INFO, logger="teambot.tests.progress")
    log = logging.getLogger("teambot.tests.progress")
    log.addFilter(refuse)
    clock = FakeClock()
    try:
        with start_progress("indexing", 10, stream=io.StringIO(), log=log, clock=clock) as p:
            clock.advance(PROGRESS_LOG_SECONDS)
            p.update(files=3)
            clock.advance(PROGRESS_LOG_SECONDS)
            p.update(files=3)
    finally:
        log.removeFilter(refuse)
    assert p.files == 6


def test_a_closed_stream_logs_instead_of_failing(teambot_info: pytest.LogCaptureFixture) -> None:
    stream, clock = io.StringIO(), FakeClock()
    stream.close()  # isatty() now raises ValueError
    with start_progress("indexing", 4, stream=stream, clock=clock) as progress:
        clock.advance(PROGRESS_LOG_SECONDS)
        progress.update(files=1, passages=2)
    assert lines(teambot_info)[0] == "indexing: 1 of 4 files, 2 passages, about 30 s left"
