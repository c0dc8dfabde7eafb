"""Whether work grows linearly with its input: measured as growth, never as a deadline.

The work runs on an input and on one ``FACTOR`` times longer. Linear work takes
about ``FACTOR`` times as long on the longer one, quadratic work about
``FACTOR ** 2`` times; the check allows ``SLACK`` times the linear growth, far
from either. Each size is timed by this thread's CPU time, best of ``RUNS``, with
the garbage collector off: another process on a loaded machine delays the work
but adds nothing to its CPU time. The long run is stopped once it passes that
allowance, so quadratic work fails in about a second instead of running for minutes.
"""

from __future__ import annotations

import gc
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

FACTOR = 16
SLACK = 4
RUNS = 3
#: Shorter times are counted as this much, so that timer noise on a very short
#: run cannot pass for growth.
FLOOR_SECONDS = 0.002
#: How often (in process CPU seconds) a long run checks its allowance.
_TICK = 0.05


class GrewTooFast(AssertionError):
    """The work on the long input took more than its linear allowance."""


def repeat(unit: str) -> Callable[[int], str]:
    """Makes inputs of ``unit`` repeated to a length."""
    return lambda length: (unit * (length // len(unit) + 1))[:length]


def growth(work: Callable[[str], object], make: Callable[[int], str], size: int) -> float:
    """How many times longer ``work`` takes on ``make(size * FACTOR)`` than on ``make(size)``.

    Raises:
        GrewTooFast: the long run went past ``FACTOR * SLACK`` times the short one.
    """
    short, long = make(size), make(size * FACTOR)
    base = max(_best(lambda: work(short), allowance=None), FLOOR_SECONDS)
    return _best(lambda: work(long), allowance=base * FACTOR * SLACK) / base


def assert_linear(work: Callable[[str], object], make: Callable[[int], str], size: int) -> None:
    """Fails when ``work`` grows faster than linearly from ``size`` characters of input."""
    try:
        ratio = growth(work, make, size)
    except GrewTooFast:
        ratio = float("inf")
    assert ratio <= FACTOR * SLACK, (
        f"{FACTOR} x the input took {ratio:.0f} x the time (linear: about {FACTOR} x)"
    )


def _best(work: Callable[[], object], allowance: float | None) -> float:
    best = float("inf")
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(RUNS):
            start = time.thread_time()
            with _stopped_after(start, allowance):
                work()
            best = min(best, time.thread_time() - start)
    finally:
        if was_enabled:
            gc.enable()
    return best


@contextmanager
def _stopped_after(start: float, allowance: float | None) -> Iterator[None]:
    """Raises ``GrewTooFast`` in the work once this thread's CPU time passes ``allowance``."""
    if allowance is None:
        yield
        return

    def check(signum: int, frame: FrameType | None) -> None:
        # The timer counts the whole process's CPU time; only this thread's counts here.
        if time.thread_time() - start > allowance:
            raise GrewTooFast

    previous = signal.signal(signal.SIGPROF, check)
    signal.setitimer(signal.ITIMER_PROF, _TICK, _TICK)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
