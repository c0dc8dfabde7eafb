"""Keeps Ctrl-C and SIGTERM on the main thread, where Python acts on them.

Python runs signal handlers on the main thread, but the kernel delivers a
process's signal to another thread whenever the main thread blocks it for a
moment (GNU readline does, while it redraws the prompt), and a signal taken by a
worker leaves a main thread waiting at the console prompt never told. So every
thread other than the main one blocks them: the ones teambot starts, the ones a
model library starts on its behalf, and the BLAS workers numpy and scipy start
when they are first imported.
"""

from __future__ import annotations

import importlib
import signal
from collections.abc import Iterator
from contextlib import contextmanager

_HANDLED_BY_MAIN = {signal.SIGINT, signal.SIGTERM}


def leave_to_main_thread() -> None:
    """Blocks SIGINT and SIGTERM in the calling (non-main) thread, for good."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, _HANDLED_BY_MAIN)


@contextmanager
def signals_blocked() -> Iterator[None]:
    """Blocks SIGINT and SIGTERM in this thread for the block's duration.

    Threads started meanwhile inherit the block; a signal that arrives
    meanwhile is delivered when the block ends.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HANDLED_BY_MAIN)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def import_with_signals_blocked(*modules: str) -> None:
    """Imports ``modules`` (their native libraries may start worker threads as they
    load) so that those workers block SIGINT and SIGTERM."""
    with signals_blocked():
        for name in modules:
            importlib.import_module(name)
