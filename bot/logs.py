"""Log lines for failures: the reason in the line, the traceback at DEBUG.

A line an operator reads at the default level names what failed and why
(``digest for slack:C1 failed: OperationalError: server closed the connection``);
the traceback follows as a DEBUG record, shown with ``TEAMBOT_LOG_LEVEL=DEBUG``.
Secrets are kept out by the filters the entry points install on the handlers
(the state URL's password, the chat platforms' tokens), which see both records.
"""

from __future__ import annotations

import logging

#: The most of an exception's message one log line quotes: enough for any reason a
#: library gives, short of a response body or a whole document pasted into it.
MAX_REASON = 500


def reason(exc: BaseException) -> str:
    """An exception's type and message on one line: ``TimeoutError: timed out``."""
    text = " ".join(str(exc).split())
    if len(text) > MAX_REASON:
        text = f"{text[:MAX_REASON]}…"
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


def log_failure(
    logger: logging.Logger, level: int, message: str, *args: object, exc: BaseException
) -> None:
    """Logs ``message % args`` at ``level`` followed by ``: <reason(exc)>``, then the
    traceback of ``exc`` at DEBUG."""
    logger.log(level, f"{message}: %s", *args, reason(exc))
    logger.debug(f"{message}: traceback", *args, exc_info=exc)
