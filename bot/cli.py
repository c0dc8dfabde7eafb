"""The ``teambot`` command line.

Sub-commands come from the ``teambot.commands`` entry-point group: each entry
is a ``register(subparsers)`` function. The console adapter contributes ``ask``,
``search`` and ``console``; the chat adapters add theirs. The core itself never
imports an adapter.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points

from bot import __version__, logs
from bot.errors import BotError
from bot.signals import import_with_signals_blocked

EXIT_FAILURE = 1
EXIT_USAGE = 2
COMMAND_GROUP = "teambot.commands"
#: Paths longer than this are cut in messages: a line, not a screenful (Linux's own
#: limit, PATH_MAX, is 4,096 bytes).
MAX_PATH_SHOWN = 200

log = logging.getLogger("teambot")


class _Formatter(logging.Formatter):
    """One line a record. A record carrying an exception ends with the exception's type
    and message, or, at DEBUG, is followed by its whole traceback. ``exc_text`` is used
    when set: it is the copy a redaction filter has already scrubbed."""

    def __init__(self, tracebacks: bool = False) -> None:
        super().__init__()
        self._tracebacks = tracebacks

    def format(self, record: logging.LogRecord) -> str:
        line = f"teambot: {record.levelname.lower()}: {record.getMessage()}"
        if not record.exc_info or record.exc_info[1] is None:
            return line
        if self._tracebacks or record.levelno <= logging.DEBUG:
            return f"{line}\n{record.exc_text or self.formatException(record.exc_info)}"
        if record.exc_text:  # a traceback's last line: the exception's type and message
            return f"{line}: {record.exc_text.rstrip().splitlines()[-1]}"
        return f"{line}: {logs.reason(record.exc_info[1])}"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with every installed command registered."""
    parser = argparse.ArgumentParser(
        prog="teambot",
        description="Answers questions from a corpus of news articles, with sources.",
    )
    parser.add_argument("--version", action="version", version=f"teambot {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for entry in sorted(entry_points(group=COMMAND_GROUP), key=lambda e: e.name):
        entry.load()(subparsers)
    return parser


def configure_logging(level: str = "WARNING") -> None:
    """Sends log records to stderr as one readable line each."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter(tracebacks=level == "DEBUG"))
    handler.setLevel(level)  # libraries that lower their own loggers' levels stay quiet
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command; returns its exit code (0 ok, 1 a bug, 2 bad usage, input or setup)."""
    import_with_signals_blocked("numpy")  # before any command imports it: see bot.signals
    configure_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
        return code
    except BotError as exc:
        print(f"teambot: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep the interpreter's
        # final flush of stdout from complaining about the closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a path or file the system refuses (too long, unreadable): input
        log.debug("system error", exc_info=True)
        print(f"teambot: error: {describe_os_error(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a bug: one line for the user, the traceback only in DEBUG
        log.debug("unexpected error", exc_info=True)
        print(
            f"teambot: error: unexpected {exc.__class__.__name__}: {exc} "
            "(run with TEAMBOT_LOG_LEVEL=DEBUG for details)",
            file=sys.stderr,
        )
        return EXIT_FAILURE


def describe_os_error(exc: OSError) -> str:
    """The system's reason, after the path it concerns (shortened when very long)."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename is None:
        return reason
    path = os.fsdecode(exc.filename)
    if len(path) > MAX_PATH_SHOWN:
        path = f"{path[: MAX_PATH_SHOWN // 2]}… ({len(path):,} characters)"
    return f"cannot use {path}: {reason}"


if __name__ == "__main__":
    sys.exit(main())
