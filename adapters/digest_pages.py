"""The "More" buttons' state: which digest and the story it continues from, or
the article a ``/sources`` page continues from.

A button carries its state in its own value (a Slack button ``value``, a
Discord ``custom_id``), so a click works after a restart and on any replica.
The digest is rebuilt from its window: the window's bounds are fixed, and
first-seen times are stored, so the same window gives the same stories.

Forms (at most 60 characters: Discord allows 100 in a ``custom_id``):
``d:2026-02-14:2026-02-14:30`` for whole days, ``t:<since>:<until>:30`` for a
span, its bounds in microseconds since the epoch; ``s:20`` for the article list
from its 21st article (the list is rebuilt on each click, newest first).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.digest.window import Window, between, whole_days
from bot.errors import BotError, WindowError
from bot.models import ArticleRef, Digest

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_DAYS = re.compile(r"d:(\d{4}-\d{2}-\d{2}):(\d{4}-\d{2}-\d{2}):(\d{1,6})")
_SPAN = re.compile(r"t:(-?\d{1,18}):(-?\d{1,18}):(\d{1,6})")
_SOURCES = re.compile(r"s:(\d{1,9})")
#: What a user sees when a button's state cannot be read (tampered with, or from
#: an incompatible version).
STALE = "that button is out of date; ask for the digest again with /digest"
SOURCES_STALE = "that button is out of date; list the articles again with /sources"
#: Articles one ``/sources`` page lists at most. A page is one message on every
#: platform: a 20,000-article corpus needs over 250 Discord messages, far past the
#: five a Slack response_url takes. Twenty lines read at a glance; a formatter
#: stops sooner when long titles or URLs fill its message first.
SOURCES_PAGE = 20


@dataclass(frozen=True, slots=True)
class Page:
    """The rest of a digest: its window, and the index of the first story to show."""

    window: Window
    start: int


def page_token(digest: Digest, start: int) -> str:
    """The state of a "More" button that continues ``digest`` at story index ``start``."""
    if digest.days is not None:
        first, last = digest.days
        return f"d:{first.isoformat()}:{last.isoformat()}:{start}"
    return f"t:{_micros(digest.since)}:{_micros(digest.until)}:{start}"


def read_page(token: str, zone: ZoneInfo) -> Page:
    """The page a "More" button's state names.

    Raises:
        WindowError: a value this module did not write.
    """
    token = token.strip()
    try:
        if found := _DAYS.fullmatch(token):
            first, last = date.fromisoformat(found[1]), date.fromisoformat(found[2])
            return Page(whole_days(first, last, zone), int(found[3]))
        if found := _SPAN.fullmatch(token):
            since, until = _instant(found[1], zone), _instant(found[2], zone)
            if since <= until:
                return Page(between(since, until), int(found[3]))
    except (ValueError, OverflowError, WindowError):
        pass
    raise WindowError(STALE)


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _instant(micros: str, zone: ZoneInfo) -> datetime:
    return (_EPOCH + timedelta(microseconds=int(micros))).astimezone(zone)


def sources_token(start: int) -> str:
    """The state of a "More articles" button that continues the list at index ``start``."""
    return f"s:{max(0, start)}"


def read_sources_token(token: str) -> int:
    """The article index a "More articles" button's state names.

    Raises:
        BotError: a value this module did not write.
    """
    if found := _SOURCES.fullmatch(token.strip()):
        return int(found[1])
    raise BotError(SOURCES_STALE)


def sources_page(
    articles: Sequence[ArticleRef], start: int, line: Callable[[ArticleRef], str], budget: int
) -> list[str]:
    """The numbered lines of one /sources page from index ``start``: at most
    ``SOURCES_PAGE``, and no more than fit in ``budget`` characters (one at least)."""
    lines: list[str] = []
    used = 0
    for n, ref in enumerate(articles[start : start + SOURCES_PAGE], start + 1):
        text = f"{n}. {line(ref)}"
        if lines and used + len(text) + 1 > budget:
            break
        lines.append(text)
        used += len(text) + 1
    return lines
