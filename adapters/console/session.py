"""The console session: one line in, what a person sees out.

The REPL and the end-to-end tests drive the same object.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from adapters.boundary import sorry
from adapters.console import format as fmt
from adapters.console.requests import to_request
from adapters.requests import Request, call
from bot.protocol import Bot

log = logging.getLogger(__name__)

FAILED = "Sorry, something went wrong with that one. Try rephrasing it."


@dataclass(frozen=True, slots=True)
class Reply:
    """What to print, and whether the session is over."""

    text: str
    done: bool = False


class ConsoleSession:
    """Interprets console lines against a ``Bot``.

    Args:
        bot: the bot (or live bot) to ask.
        digest_stories: stories a digest shows in full (``TEAMBOT_DIGEST_STORIES``).
    """

    def __init__(self, bot: Bot, *, digest_stories: int) -> None:
        self._bot = bot
        self._full = digest_stories

    def banner(self) -> str:
        """The greeting shown when the console starts."""
        n = len(self._bot.sources())
        return f"teambot: {n} articles ready. Ask a question, or /help for commands."

    def handle(self, line: str) -> Reply:
        """Handles one line; never raises for bad input."""
        line = line.strip()
        if not line:
            return Reply("")
        try:
            return self._reply(to_request(line))
        except Exception as exc:  # the console must outlive any one bad request
            return Reply(sorry(exc, log, FAILED, "error while handling %r", line[:80]))

    def ask(self, question: str) -> str:
        """What a person sees after asking ``question``."""
        return self.handle(question).text

    def _reply(self, request: Request) -> Reply:
        if request.kind == "quit":
            return Reply("Bye.", done=True)
        if request.kind == "usage":
            return Reply(request.text)
        return Reply(fmt.render(call(self._bot, request, failed=FAILED), full=self._full))
