"""Progress of a long build (the index over a large corpus), shown where someone will see it.

On a terminal, a tqdm bar: files read of the total, passages so far, rate and time left,
drawn only once the build has lasted a couple of seconds. Elsewhere (a service, a
container, output piped to a file), an INFO log line now and then with the same figures.
A short build shows nothing either way. Progress is a courtesy: its ``update`` and
``close`` never raise, so a broken terminal or log handler cannot break the build.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from types import TracebackType
from typing import Any, TextIO

#: Seconds a build runs before its bar appears (tqdm's ``delay``). Starting with the index
#: cached takes well under a second, and a bar that flashes up and vanishes is noise; a
#: person starts to wonder about a silent wait after a couple of seconds.
BAR_DELAY_SECONDS = 2.0
#: Seconds between two progress lines in the log when no one watches a bar. Often enough
#: that someone tailing the log of a service sees the build is alive and when it will be
#: done; rare enough that a 20-minute build writes some 120 lines, not thousands. A build
#: shorter than this logs nothing.
PROGRESS_LOG_SECONDS = 10.0
#: Columns for the bar on a terminal that reports a width of 0 (a pseudo-terminal whose
#: size was never set), where tqdm would draw nothing: a VT100's width, and the fallback
#: of ``shutil.get_terminal_size``.
FALLBACK_COLUMNS = 80

_LOG_NAME = "teambot"


class Progress:
    """Counts the files a build has read and the passages it has made, and shows them.

    Made by ``start_progress``; usable as a context manager, which closes it. Safe to
    update from several threads.

    Attributes:
        files: files read so far.
        passages: passages made so far.
    """

    def __init__(
        self,
        what: str,
        total_files: int | None,
        *,
        bar: Any,
        log: logging.Logger,
        clock: Callable[[], float],
    ) -> None:
        self.files = 0
        self.passages = 0
        self._what = what
        self._total = total_files
        self._bar = bar  # a tqdm bar, or None to log instead
        self._log = log
        self._clock = clock
        self._started = clock()
        self._next_line = self._started + PROGRESS_LOG_SECONDS
        self._logged = False
        self._closed = False
        self._lock = threading.Lock()

    def update(self, files: int = 0, passages: int = 0) -> None:
        """Adds to the counters, and shows them when it is time to.

        Args:
            files: files read since the last update.
            passages: passages made since the last update.
        """
        with self._lock:
            if self._closed:
                return
            try:
                self.files += files
                self.passages += passages
                if self._bar is not None:
                    self._bar.set_postfix_str(f"{self.passages:,} passages", refresh=False)
                    self._bar.update(files)
                elif self._clock() >= self._next_line:
                    self._log.info("%s", self._line())
                    self._logged = True
                    self._next_line = self._clock() + PROGRESS_LOG_SECONDS
            except Exception:  # a display must never break the build
                self._give_up()

    def close(self) -> None:
        """Stops showing progress: leaves the bar's last state, or logs a last line when
        lines were logged. Closing again does nothing."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            try:
                if self._bar is not None:
                    self._bar.close()
                elif self._logged:
                    took = _duration(self._clock() - self._started)
                    self._log.info("%s: done, %s in %s", self._what, self._counts(), took)
            except Exception:  # a display must never break the build
                self._give_up()

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _line(self) -> str:
        """``indexing: 12,000 of 200,000 files, 80,123 passages, about 2 min 10 s left``."""
        line = f"{self._what}: {self._counts()}"
        elapsed = self._clock() - self._started
        if self._total and 0 < self.files < self._total and elapsed > 0:
            left = (self._total - self.files) * elapsed / self.files
            line += f", about {_duration(left)} left"
        return line

    def _counts(self) -> str:
        of = f" of {self._total:,}" if self._total is not None else ""
        return f"{self.files:,}{of} files, {self.passages:,} passages"

    def _give_up(self) -> None:
        """Stops showing anything after a display failed (a closed terminal, a failing
        handler): the build goes on without progress."""
        if self._bar is not None:
            self._bar.disable = True  # tqdm's own flag: draw nothing more, not even on close
        self._bar, self._next_line = None, float("inf")
        with suppress(Exception):  # the log may be what failed
            self._log.debug("%s: progress display failed", self._what, exc_info=True)


def start_progress(
    what: str,
    total_files: int | None,
    *,
    stream: TextIO | None = None,
    log: logging.Logger | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Progress:
    """Starts showing the progress of a build.

    Args:
        what: what the build does, shown first (``"indexing"``).
        total_files: how many files it will read, or None when not known (no time left).
        stream: where a bar is drawn when it is a terminal (``sys.stderr`` by default).
        log: where progress lines go when ``stream`` is not a terminal (``teambot``).
        clock: seconds, for the log lines' timing (tqdm keeps its own time).

    Returns:
        The progress, to ``update`` as the build goes and ``close`` at its end.
    """
    stream = sys.stderr if stream is None else stream
    log = logging.getLogger(_LOG_NAME) if log is None else log
    bar = None
    try:
        if stream.isatty():
            bar = _bar(what, total_files, stream)
    except Exception:  # a closed or odd stream: log instead of drawing
        with suppress(Exception):
            log.debug("%s: no progress bar", what, exc_info=True)
    return Progress(what, total_files, bar=bar, log=log, clock=clock)


def _bar(what: str, total_files: int | None, stream: TextIO) -> Any:
    import tqdm  # here, not at the top: most runs never draw a bar

    # tqdm's monitor thread would be a thread open to Ctrl-C, which must reach the main
    # thread (see bot.signals); the bar is redrawn on update without it.
    tqdm.tqdm.monitor_interval = 0
    width = _width(stream)
    return tqdm.tqdm(
        total=total_files,
        desc=what,
        unit=" files",
        ncols=width,
        dynamic_ncols=width is None,  # follow the window as it is resized
        file=stream,
        delay=BAR_DELAY_SECONDS,
    )


def _width(stream: TextIO) -> int | None:
    """None when the terminal reports its width (tqdm follows it), else FALLBACK_COLUMNS."""
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError):
        columns = 0
    return None if columns else FALLBACK_COLUMNS


def _duration(seconds: float) -> str:
    """``45 s``, ``2 min 10 s``, ``1 h 5 min``."""
    whole = max(1, round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, whole = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {whole} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"
