"""``FakeBot``: a ``Bot`` with canned replies, for testing adapters without a corpus.

Like httpx's ``MockTransport``: give it a function per request kind (or let it use
the default), and it records every call. A reply function may raise, as the
real bot does (a ``QuestionError`` for an empty question, a ``StateError``...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.digest.window import Window
from bot.help import make_help
from bot.models import Answer, ArticleRef, Digest, Help, SearchResult
from bot.state.store import StateStore


def _no_answer(question: str) -> Answer:
    return Answer(
        question=question, answered=False, text="The articles don't answer this question."
    )


def _no_hits(query: str, k: int) -> SearchResult:
    return SearchResult(query=query, hits=(), took_ms=0.0)


def _empty_digest(window: Window) -> Digest:
    return Digest(since=window.since, until=window.until, stories=(), days=window.days)


@dataclass
class FakeBot:
    """A ``Bot`` whose replies come from the functions given (and ``calls`` records).

    Attributes:
        answer: question → ``Answer`` (default: not answered).
        find: query, k → ``SearchResult`` (default: no hits).
        articles: what ``sources`` returns.
        make_digest: window → ``Digest`` (default: empty).
        now: the clock's time.
        store: the state store ``state`` returns (``None``: using it is a test error).
    """

    answer: Callable[[str], Answer] = _no_answer
    find: Callable[[str, int], SearchResult] = _no_hits
    articles: tuple[ArticleRef, ...] = ()
    make_digest: Callable[[Window], Digest] = _empty_digest
    now: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    store: StateStore | None = None
    calls: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def state(self) -> StateStore:
        if self.store is None:
            raise AssertionError("this FakeBot was given no state store")
        return self.store

    def clock(self) -> datetime:
        return self.now

    def ask(self, question: str) -> Answer:
        self.calls.append(("ask", question))
        return self.answer(question)

    def search(self, query: str, k: int = 5) -> SearchResult:
        self.calls.append(("search", (query, k)))
        return self.find(query, k)

    def sources(self) -> tuple[ArticleRef, ...]:
        self.calls.append(("sources", None))
        return self.articles

    def digest(self, window: Window) -> Digest:
        self.calls.append(("digest", window))
        return self.make_digest(window)

    def help(self) -> Help:
        self.calls.append(("help", None))
        return make_help(len(self.articles))
