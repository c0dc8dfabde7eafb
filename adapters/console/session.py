"""The console session: one line in, what a person sees out.

The REPL and the end-to-end tests drive the same object.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from adapters.boundary import sorry
from adapters.console import format as fmt
from adapters.wording import ABOUT, command_word
from bot.digest.window import on_day
from bot.protocol import Bot

log = logging.getLogger(__name__)

FAILED = "Sorry, something went wrong with that one. Try rephrasing it."

HELP = f"""\
{ABOUT}

Type a question and press Enter, e.g. "how many parameters does RynnBrain have?"

Commands (help and sources work without the slash too):
  /search QUERY   the best-matching articles, each with its best passage
  /sources        every article teambot has, newest first
  /digest [DATE]  the stories new in the last 24 hours, or on DATE (YYYY-MM-DD)
  /help           this help
  /quit           leave (Ctrl-D works too)"""


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
            return self._dispatch(line)
        except Exception as exc:  # the console must outlive any one bad request
            return Reply(sorry(exc, log, FAILED, "error while handling %r", line[:80]))

    def ask(self, question: str) -> str:
        """What a person sees after asking ``question``."""
        return self.handle(question).text

    def _dispatch(self, line: str) -> Reply:
        if word := command_word(line):  # "help" or "sources" alone is the command
            line = f"/{word}"
        if not line.startswith("/"):
            return Reply(fmt.answer_text(self._bot.ask(line)))
        command, _, rest = line.partition(" ")
        command = command.lower()
        if command in ("/quit", "/exit", "/q"):
            return Reply("Bye.", done=True)
        if command == "/help":
            return Reply(HELP)
        if command == "/sources":
            return Reply(fmt.sources_text(self._bot.sources()))
        if command == "/digest":
            bot = self._bot
            window = on_day(rest, now=bot.clock(), zone=bot.zone)
            return Reply(fmt.digest_text(bot.digest(window), full=self._full))
        if command == "/search":
            if not rest.strip():
                return Reply("Usage: /search QUERY, e.g. /search Kling 3.0")
            return Reply(fmt.search_text(self._bot.search(rest)))
        return Reply(
            f"Unknown command {command}. Commands: /search, /sources, /digest, /help, /quit."
        )
