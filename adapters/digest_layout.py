"""How every adapter lays out a digest. Pure functions, no markup.

The first ``full`` stories (``TEAMBOT_DIGEST_STORIES``) appear in full: headline,
summary, key points, names and numbered sources. Every other story gets one
line: its headline and how many sources it has. A platform that must stop
before the end says how many stories are left (``more_stories``) and offers
them through a "More" button (see ``adapters.digest_pages``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol, TypeVar

from adapters.wording import one_line, plural
from bot.models import ArticleRef, Digest, KeyPoint, Story

#: Key points shown under a story: the issue asks for "up to five".
KEY_POINTS = 5
#: Characters of a summary shown in a chat message. A summary is one or two
#: sentences (about 300 characters); a runaway one is cut rather than let one
#: story crowd the others out of a platform's message limit.
SUMMARY_CHARS = 1000
#: Characters of a headline on a one-line story: a headline is a sentence; a
#: runaway one must not make the line longer than a platform's text block.
HEADLINE_CHARS = 300
#: Sources listed under a story in full, besides any a key point cites. Ten fill
#: one Slack context block; a story with hundreds of sources would otherwise
#: bury the digest in links, and its count still says how big it is.
SOURCES = 10

Numbered = tuple[int, ArticleRef]


@dataclass(frozen=True, slots=True)
class FullStory:
    """A story shown in full.

    ``sources`` are (number, article) pairs, numbered by position in
    ``Story.articles``: the first ``SOURCES`` and every one a key point cites,
    in order. ``unlisted`` counts the sources left out.
    """

    number: int
    story: Story
    key_points: tuple[KeyPoint, ...]
    sources: tuple[Numbered, ...]
    unlisted: int


@dataclass(frozen=True, slots=True)
class BriefStory:
    """A story on one line: its headline and how many sources it has."""

    number: int
    headline: str
    sources: int

    def text(self) -> str:
        """'12. Headline (3 sources)', plain text."""
        headline = one_line(self.headline, HEADLINE_CHARS)
        return f"{self.number}. {headline} ({plural(self.sources, 'source')})"


Item = FullStory | BriefStory


def items(digest: Digest, full: int, start: int = 0) -> Iterator[Item]:
    """The digest's stories from index ``start``: in full while their index is below
    ``full``, then one line each. Numbers count from 1 over the whole digest."""
    for index in range(max(0, start), len(digest.stories)):
        story = digest.stories[index]
        if index < full:
            yield full_story(index + 1, story)
        else:
            yield BriefStory(index + 1, story.headline, len(story.articles))


def full_story(number: int, story: Story) -> FullStory:
    """``story`` laid out in full as number ``number``."""
    points = key_points(story)
    cited = {p.source for p in points}
    listed = tuple(
        (n, ref) for n, ref in enumerate(story.articles, 1) if n <= SOURCES or n in cited
    )
    return FullStory(number, story, points, listed, len(story.articles) - len(listed))


def key_points(story: Story) -> tuple[KeyPoint, ...]:
    """The first ``KEY_POINTS`` key points whose source number names one of the
    story's articles (a number no source list could show is never printed)."""
    valid = [p for p in story.key_points if 1 <= p.source <= len(story.articles)]
    return tuple(valid[:KEY_POINTS])


def more_stories(remaining: int) -> str:
    """The closing line of a digest cut short: '…and 480 more stories.'"""
    return f"…and {plural(remaining, 'more story')}."


def unlisted_sources(count: int) -> str:
    """'…and 12 more sources'."""
    return f"…and {plural(count, 'more source')}"


Part = TypeVar("Part", contravariant=True)


class Pages(Protocol[Part]):
    """A platform's messages being filled: each ``add`` says whether it still fit."""

    def add(self, parts: Part) -> bool: ...

    def add_line(self, text: str) -> bool: ...


def fill(
    pages: Pages[Part],
    digest: Digest,
    full: int,
    start: int,
    render: Callable[[FullStory], Part],
    escape: Callable[[str], str],
) -> int:
    """Adds the digest's stories from ``start`` (in full, then one line each) until
    ``pages`` are full; returns how many stories are shown up to the last that fit."""
    shown = max(0, start)
    for item in items(digest, full, start):
        fits = (
            pages.add(render(item))
            if isinstance(item, FullStory)
            else pages.add_line(escape(item.text()))
        )
        if not fits:
            break
        shown += 1
    return shown
