"""A corpus of 20,000 articles (the issue's export), as ``TeamBot.sources`` lists it,
for the /sources paging tests: built directly, not loaded."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.models import ArticleRef
from bot.service import TeamBot

ARTICLES = 20_000
NEWEST = date(2026, 2, 14)


def many_articles(count: int = ARTICLES) -> tuple[ArticleRef, ...]:
    """``count`` articles, newest first, numbered from 1 in their titles."""
    return tuple(
        ArticleRef(
            f"a{n}",
            f"Article {n}: a headline as long as real ones get & then some",
            f"https://news{n % 7}.example/{n}",
            f"news{n % 7}.example",
            NEWEST - timedelta(days=n // 50),
        )
        for n in range(1, count + 1)
    )


def use_many_articles(monkeypatch: pytest.MonkeyPatch, count: int = ARTICLES) -> None:
    """Every ``TeamBot.sources`` lists ``count`` articles."""
    articles = many_articles(count)
    monkeypatch.setattr(TeamBot, "sources", lambda self: articles)
