"""The one error boundary: what a person is told when a request fails.

A ``BotError`` carries a message the core wrote for people: it is shown. Anything
else is a bug or an outage: it is logged, with its traceback (which the redaction
filters scrub of tokens and passwords), and the person gets a fixed note that
quotes none of it, so no traceback or secret ever reaches a chat. The command
line is run by the operator, on their own terminal: it names a system error's
path and reason, and an unexpected error's type and message, in one line.
"""

from __future__ import annotations

import logging
import os

from bot.errors import BotError

#: The command line's exit codes: 1 a bug, 2 bad usage, input or setup.
EXIT_FAILURE = 1
EXIT_USAGE = 2
#: Paths longer than this are cut in messages: a line, not a screenful (Linux's own
#: limit, PATH_MAX, is 4,096 bytes).
MAX_PATH_SHOWN = 200

log = logging.getLogger("teambot")


def sorry(exc: Exception, logger: logging.Logger, generic: str, what: str, *args: object) -> str:
    """The reply to a chat or console request that raised ``exc``.

    Args:
        exc: what the request raised.
        logger: where an unexpected failure is logged, with its traceback.
        generic: the reply for an unexpected failure.
        what: the log message (``%`` format with ``args``) for an unexpected failure.

    Returns:
        ``Sorry: <message>.`` for a ``BotError``; else ``generic``, once logged.
    """
    if isinstance(exc, BotError):
        return f"Sorry: {exc}."
    logger.error(what, *args, exc_info=exc)
    return generic


def command_failure(exc: Exception) -> tuple[int, str]:
    """The exit code and the stderr line for a command that raised ``exc``.

    A ``BotError`` or a path the system refuses (too long, unreadable) is bad input
    (exit 2); anything else is a bug (exit 1), its traceback logged at DEBUG.
    """
    if isinstance(exc, BotError):
        return EXIT_USAGE, f"teambot: error: {exc}"
    if isinstance(exc, OSError):
        log.debug("system error", exc_info=exc)
        return EXIT_USAGE, f"teambot: error: {describe_os_error(exc)}"
    log.debug("unexpected error", exc_info=exc)
    return EXIT_FAILURE, (
        f"teambot: error: unexpected {exc.__class__.__name__}: {exc} "
        "(run with TEAMBOT_LOG_LEVEL=DEBUG for details)"
    )


def describe_os_error(exc: OSError) -> str:
    """The system's reason, after the path it concerns (shortened when very long)."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename is None:
        return reason
    path = os.fsdecode(exc.filename)
    if len(path) > MAX_PATH_SHOWN:
        path = f"{path[: MAX_PATH_SHOWN // 2]}… ({len(path):,} characters)"
    return f"cannot use {path}: {reason}"
