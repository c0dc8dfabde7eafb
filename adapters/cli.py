"""The ``teambot`` command line: an entry point, outside the core.

Sub-commands come from the ``teambot.commands`` entry-point group: each entry
is a ``register(subparsers)`` function. The console adapter contributes ``ask``,
``search``, ``digest`` and ``console``; the chat adapters add theirs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points

from adapters.boundary import command_failure
from bot import __version__
from bot.logs import configure_logging
from bot.signals import import_with_signals_blocked

COMMAND_GROUP = "teambot.commands"


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


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command; returns its exit code (0 ok, 1 a bug, 2 bad usage, input or setup)."""
    import_with_signals_blocked("numpy")  # before any command imports it: see bot.signals
    configure_logging()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep the interpreter's
        # final flush of stdout from complaining about the closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # the one boundary says what the user sees
        code, message = command_failure(exc)
        print(message, file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
