"""The one seam between the core and the adapters: requests in, frozen values out.

Adapters type against ``Bot``; ``TeamBot`` is the real one (its index swapped in
place while the corpus changes) and ``bot.fake.FakeBot`` the one adapter tests use.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.digest.window import Window
from bot.models import Answer, ArticleRef, Digest, Help, SearchResult
from bot.state.store import StateStore


class Bot(Protocol):
    """What an adapter may ask of the core."""

    @property
    def zone(self) -> ZoneInfo:
        """The time zone digest days are counted in."""
        ...

    @property
    def state(self) -> StateStore:
        """Where the chat adapters keep shared rate limits and seen events."""
        ...

    def clock(self) -> datetime:
        """The current time (aware)."""
        ...

    def ask(self, question: str) -> Answer:
        """Answers a question, or says the articles don't (``QuestionError`` if malformed)."""
        ...

    def search(self, query: str, k: int = 5) -> SearchResult:
        """The ``k`` best articles for ``query``."""
        ...

    def sources(self) -> tuple[ArticleRef, ...]:
        """Every article, newest first."""
        ...

    def digest(self, window: Window) -> Digest:
        """The stories among the articles in ``window``."""
        ...

    def help(self) -> Help:
        """What teambot is and what it can be asked (data: each adapter renders it)."""
        ...
