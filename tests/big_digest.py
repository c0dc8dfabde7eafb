"""A digest of a big news day, built directly (not from the corpus), for size tests.

Stories are numbered in their headlines ("Story 17 …") so a test can tell which
ones a message shows; every story has long text, many sources and key points
that cite sources past the first ten.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.digest.window import Window
from bot.models import ArticleRef, Digest, KeyPoint, Story
from bot.service import TeamBot

STORIES = 200
SOURCES = 30


def big_story(n: int, sources: int = SOURCES) -> Story:
    refs = tuple(
        ArticleRef(
            f"s{n}-a{i}",
            f"Article {i} about story {n}: a headline as long as real ones get & then some",
            f"https://news{i % 7}.example/2026/02/14/story-{n}-article-{i}",
            f"news{i % 7}.example",
            date(2026, 2, 14),
        )
        for i in range(1, sources + 1)
    )
    points = tuple(
        KeyPoint(f"Product{k}", f"Product{k} of story {n} shipped release {k} <today>.", source)
        for k, source in enumerate((1, 2, 17, sources, 5, 9), 1)  # six: one too many
    )
    summary = f"Story {n} summary: " + "A company did a notable thing in a long sentence. " * 12
    names = tuple(f"Name{k}" for k in range(25))
    return Story(f"Story {n} — {'a long headline ' * 6}".strip(), summary, names, refs, points)


def big_digest(window: Window, stories: int = STORIES) -> Digest:
    """``stories`` big stories for ``window`` (its bounds, so a "More" page round-trips)."""
    return Digest(
        window.since,
        window.until,
        tuple(big_story(n) for n in range(1, stories + 1)),
        days=window.days,
    )


def use_big_digests(monkeypatch: pytest.MonkeyPatch, stories: int = STORIES) -> list[Window]:
    """Every ``TeamBot.digest`` returns a big digest; returns the windows asked for."""
    asked: list[Window] = []

    def digest(self: TeamBot, window: Window) -> Digest:
        asked.append(window)
        return big_digest(window, stories)

    monkeypatch.setattr(TeamBot, "digest", digest)
    return asked
