"""Log lines for failures: the reason in the line, the traceback at DEBUG.

A line an operator reads at the default level names what failed and why
(``digest for slack:C1 failed: OperationalError: server closed the connection``);
the traceback follows as a DEBUG record, shown with ``TEAMBOT_LOG_LEVEL=DEBUG``.
Secrets are kept out by the filters the entry points install on the handlers
(the state URL's password, the chat platforms' tokens), which see both records.
"""

from __future__ import annotations

import logging
import sys

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
        return f"{line}: {reason(record.exc_info[1])}"


def configure_logging(level: str = "WARNING") -> None:
    """Sends log records to stderr as one readable line each."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter(tracebacks=level == "DEBUG"))
    handler.setLevel(level)  # libraries that lower their own loggers' levels stay quiet
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
