"""Keeps Ctrl-C and SIGTERM on the main thread, where Python acts on them.

Python runs signal handlers on the main thread, but the kernel may deliver a
process's signal to any thread that does not block it; a signal taken by a
worker leaves a main thread that waits at the console prompt (or in the bot's
event loop) never told. Every thread teambot starts, and every thread a model
library starts on teambot's behalf, blocks them.
"""

from __future__ import annotations

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
