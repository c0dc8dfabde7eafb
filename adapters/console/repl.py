"""The interactive loop around ``ConsoleSession``: prompt, history, Ctrl-C and Ctrl-D."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import TextIO

from adapters.console.session import ConsoleSession

PROMPT = "teambot> "
HISTORY_LINES = 1000


def run_repl(session: ConsoleSession, history: Path | None, stdin: TextIO = sys.stdin) -> int:
    """Reads lines until /quit or end of input; returns the exit code.

    Prompts, the banner and line editing with history appear only on a
    terminal, so piped input gives clean output.
    """
    interactive = stdin.isatty() and sys.stdout.isatty()
    if interactive:
        # A program started in the background of a shell without job control (a
        # script's `&`, some terminals' launchers) inherits Ctrl-C ignored, and Python
        # then never turns it into KeyboardInterrupt; at a prompt it must.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _start_history(history)
        print(session.banner())
    try:
        while True:
            try:
                line = input(PROMPT) if interactive else stdin.readline()
            except KeyboardInterrupt:
                print()
                continue
            except EOFError:
                line = None
            if line is None or (not interactive and line == ""):
                if interactive:
                    print()
                return 0
            reply = session.handle(line)
            if reply.text:
                print(reply.text, flush=True)
                if interactive:
                    print()
            if reply.done:
                return 0
    finally:
        if interactive:
            _save_history(history)


def _start_history(history: Path | None) -> None:
    try:
        import readline
    except ImportError:  # not on every platform; the console works without it
        return
    if history is not None and history.exists():
        try:
            readline.read_history_file(history)
        except OSError:
            pass
    readline.set_history_length(HISTORY_LINES)


def _save_history(history: Path | None) -> None:
    if history is None:
        return
    try:
        import readline

        history.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(history)
    except (ImportError, OSError):
        pass
