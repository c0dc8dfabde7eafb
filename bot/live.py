"""A live corpus: files added, changed or removed are picked up while the bot runs.

A watcher thread compares the corpus fingerprint every ``reload_seconds``;
on a change it builds a whole new ``TeamBot`` in the background and swaps it
in with one assignment, so a request always sees one complete index, old or new.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.digest.window import Window
from bot.errors import BotError
from bot.logs import log_failure
from bot.models import Answer, ArticleRef, Digest, SearchResult
from bot.service import TeamBot
from bot.signals import leave_to_main_thread

log = logging.getLogger("teambot")


class LiveBot:
    """The current ``TeamBot``, replaced when the corpus changes.

    Args:
        bot: the bot built at start.
        rebuild: builds a fresh bot from the corpus as it is now.
        fingerprint: the corpus fingerprint as it is now (cheap: file sizes and times).
    """

    def __init__(
        self,
        bot: TeamBot,
        rebuild: Callable[[], TeamBot],
        fingerprint: Callable[[], str],
    ) -> None:
        self._bot = bot
        self._rebuild = rebuild
        self._fingerprint = fingerprint
        self._refresh_lock = threading.Lock()

    @property
    def current(self) -> TeamBot:
        """The bot to use for one request."""
        return self._bot

    def refresh(self) -> bool:
        """Rebuilds and swaps in a new bot if the corpus changed; True when it did."""
        with self._refresh_lock:
            if self._fingerprint() == self._bot.fingerprint:
                return False
            fresh = self._rebuild()
            self._bot = fresh  # one reference swap: readers see old or new, never half
            log.info("corpus changed: %d articles now", len(fresh.sources()))
            return True

    def watch(self, stop: threading.Event, every: float) -> threading.Thread:
        """Starts a daemon thread that calls ``refresh`` every ``every`` seconds until ``stop``."""

        def loop() -> None:
            leave_to_main_thread()
            while not stop.wait(every):
                try:
                    self.refresh()
                except BotError as exc:
                    log_failure(log, logging.WARNING, "corpus not reloaded", exc=exc)
                except Exception as exc:  # the watcher must outlive any one bad reload
                    message = "corpus reload failed; keeping the current index"
                    log_failure(log, logging.ERROR, message, exc=exc)

        thread = threading.Thread(target=loop, name="teambot-corpus-watch", daemon=True)
        thread.start()
        return thread

    @property
    def zone(self) -> ZoneInfo:
        return self._bot.zone

    def clock(self) -> datetime:
        return self._bot.clock()

    def ask(self, question: str) -> Answer:
        return self._bot.ask(question)

    def search(self, query: str, k: int = 5) -> SearchResult:
        return self._bot.search(query, k)

    def sources(self) -> tuple[ArticleRef, ...]:
        return self._bot.sources()

    def digest(self, window: Window) -> Digest:
        return self._bot.digest(window)
