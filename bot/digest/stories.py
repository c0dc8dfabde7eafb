"""Turns a digest's articles into stories: grouped, ordered, summarised.

Grouping is ``grouping.group``; within a story the most central report leads
(the one most like the story as a whole, preferring one with a real title), and
its opening gives the summary (``summary``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime

import numpy as np

from bot.digest.grouping import group
from bot.digest.profiles import DigestArticle, Idf, Profiles, Tokenize, build_profiles
from bot.digest.summary import (
    KEY_POINT_SENTENCES,
    key_points,
    reports,
    story_names,
    summary,
)
from bot.models import Story

__all__ = ["DigestArticle", "build_stories"]


def build_stories(
    articles: Sequence[DigestArticle], tokenize: Tokenize, idf: Idf
) -> tuple[Story, ...]:
    """The stories among ``articles``, heaviest first (more sources, then more recent)."""
    if not articles:
        return ()
    profiles = build_profiles(articles, tokenize, idf)
    stories = [_story(profiles, members, tokenize) for members in group(profiles)]
    return tuple(sorted(stories, key=_weight))


def _story(profiles: Profiles, members: list[int], tokenize: Tokenize) -> Story:
    ordered = _by_centrality(profiles, members)
    found = reports(
        [profiles.articles[i].passages for i in ordered],
        [profiles.names_of[i] for i in ordered],
        KEY_POINT_SENTENCES,
    )
    names = story_names(found)
    lead = profiles.articles[ordered[0]]
    said = summary(found[0], names)
    return Story(
        headline=lead.ref.title,
        summary=said,
        entities=names,
        articles=tuple(profiles.articles[i].ref for i in ordered),
        key_points=key_points(found, names, _weigher(profiles, members, tokenize), said),
    )


def _weigher(profiles: Profiles, members: list[int], tokenize: Tokenize) -> Callable[[str], float]:
    """Scores a sentence by how much of the story's term profile it holds: the
    mean, over its distinct terms, of their weight in the story's centroid."""
    centroid = np.asarray(profiles.terms[np.asarray(members)].sum(axis=0)).ravel()
    weight = {profiles.vocabulary[c]: float(centroid[c]) for c in np.flatnonzero(centroid)}

    def weigh(sentence: str) -> float:
        terms = set(tokenize(sentence))
        return sum(weight.get(t, 0.0) for t in terms) / math.sqrt(len(terms) or 1)

    return weigh


def _by_centrality(profiles: Profiles, members: list[int]) -> list[int]:
    """Members, the most central first: closest to the story's mean term profile
    (and semantic vector), a real title before a generated one, then by date."""
    take = np.asarray(members)
    terms = profiles.terms[take]
    closeness = np.asarray(terms @ np.asarray(terms.sum(axis=0)).ravel(), dtype=np.float64).ravel()
    if profiles.dense is not None:
        vectors = profiles.dense[take]
        closeness = closeness + vectors @ vectors.sum(axis=0)
    order = sorted(
        range(len(members)),
        key=lambda k: (
            profiles.articles[members[k]].ref.generated_title,
            -round(float(closeness[k]), 9),
            _when(profiles.articles[members[k]]),
        ),
    )
    return [members[k] for k in order]


def _when(article: DigestArticle) -> float:
    published = article.ref.published
    if published is not None:
        return datetime.combine(published, datetime.min.time()).timestamp()
    return article.first_seen.timestamp()


def _weight(story: Story) -> tuple[int, float]:
    latest = max(
        datetime.combine(a.published, datetime.min.time()).timestamp() if a.published else 0.0
        for a in story.articles
    )
    return (-len(story.articles), -latest)
