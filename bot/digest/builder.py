"""Selects the articles of a window and turns them into a ``Digest``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from bot.digest.profiles import DigestArticle
from bot.digest.stories import build_stories
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
            passages = tuple(index.article_passages(a))
            chosen.append(DigestArticle(ref, passages, seen, article_vector(index, a)))
    stories = build_stories(chosen, index.tokenizer, index.idf)
    return Digest(since=window.since, until=window.until, stories=stories, days=window.days)


def article_vector(index: SearchIndex, a: int) -> npt.NDArray[np.float32] | None:
    """The ``a``-th article's semantic vector: the mean of its passages', unit length
    (``None`` when the index has no dense vectors)."""
    if index.dense is None:
        return None
    start, end = index.article_span(a)
    if end <= start:
        return None
    mean = index.dense.rows(start, end).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm).astype(np.float32) if norm > 0 else None
