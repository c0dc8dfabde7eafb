"""Selects the articles of a window and turns them into a ``Digest``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.digest.stories import DigestArticle, build_stories
from bot.digest.window import Window
from bot.models import Digest
from bot.search.index import SearchIndex


def build_digest(
    index: SearchIndex, first_seen: Mapping[str, datetime], window: Window, zone: ZoneInfo
) -> Digest:
    """The stories among the articles in ``window``.

    A window of whole days selects by published date where the article states
    one, else by the day teambot first saw it; any other window selects by
    first-seen time, so an article published last week but added today is new today.
    """
    chosen: list[DigestArticle] = []
    for a, ref in enumerate(index.articles):
        seen = first_seen.get(ref.article_id)
        if seen is None:
            continue
        if window.days is not None:
            day = ref.published or seen.astimezone(zone).date()
            include = window.days[0] <= day <= window.days[1]
        else:
            include = window.since < seen <= window.until
        if include:
            chosen.append(DigestArticle(ref, tuple(index.article_passages(a)), seen))
    stories = build_stories(chosen, index.tokenizer, index.idf)
    return Digest(since=window.since, until=window.until, stories=stories, days=window.days)
