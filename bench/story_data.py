"""The story-grouping yardstick: ``../shared/bench/stories-dev`` as teambot articles.

AllSides headline roundups, April-June 2021 (see its README; measured here, never
copied into the repository). A digest is one Monday-Sunday week, as a team's
feed would be; the whole quarter in one digest is the long-window case. The
weeks are split by a hash of their Monday: grouping is fitted on the ``fit``
weeks and only measured on the ``held`` ones.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from bot.digest.builder import article_vector
from bot.digest.profiles import DigestArticle
from bot.embed.lazy import LazyModel
from bot.models import Article, Section
from bot.search.index import SearchIndex, build_index
from bot.text.tokenize import Tokenizer

ROOT = Path(__file__).resolve().parent.parent
STORIES = ROOT.parent / "shared" / "bench" / "stories-dev" / "allsides_2021q2.jsonl"
#: Two fifths of the weeks are never fitted on.
HELD_FIFTHS = 2


@dataclass(frozen=True, slots=True)
class Week:
    """One weekly digest's articles with their gold story labels."""

    monday: date
    split: str  # "fit" or "held"
    articles: tuple[DigestArticle, ...]
    gold: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Yardstick:
    """The weeks, and the index over all their articles (its tokenizer and idf)."""

    weeks: tuple[Week, ...]
    index: SearchIndex


def load_weeks(path: Path = STORIES, *, models: str = "bundled") -> Yardstick:
    """Every week of the yardstick, indexed the way teambot indexes a corpus."""
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    articles = [story_article(r) for r in rows]
    static = LazyModel(models, "static")
    embedder = static.get()
    index = build_index(
        articles, "bm25", Tokenizer(), embedder=embedder, embed_ident=static.ident()
    )
    weeks: dict[date, list[tuple[DigestArticle, str]]] = {}
    for a, row in enumerate(rows):
        day = date.fromisoformat(row["published"])
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append(
            (_digest_article(index, a, day), row["story"])
        )
    return Yardstick(
        weeks=tuple(
            Week(
                monday=monday,
                split=_split(monday),
                articles=tuple(a for a, _ in members),
                gold=tuple(story for _, story in members),
            )
            for monday, members in sorted(weeks.items())
        ),
        index=index,
    )


def quarter(weeks: Sequence[Week], split: str | None = None) -> Week:
    """All the weeks (of one split) as one long digest."""
    chosen = [w for w in weeks if split is None or w.split == split]
    return Week(
        monday=chosen[0].monday,
        split=split or "all",
        articles=tuple(a for w in chosen for a in w.articles),
        gold=tuple(g for w in chosen for g in w.gold),
    )


def story_article(row: dict[str, str]) -> Article:
    """One stories-dev row as an article (one section; the text's lines are paragraphs)."""
    paragraphs = tuple(p.strip() for p in row["text"].split("\n") if p.strip())
    return Article(
        id=row["id"],
        title=row["title"],
        sections=(Section(None, paragraphs),),
        url=row["url"],
        source=row["source"],
        published=date.fromisoformat(row["published"]),
    )


def _digest_article(index: SearchIndex, a: int, day: date) -> DigestArticle:
    seen = datetime.combine(day, time(12), UTC)
    return DigestArticle(
        index.articles[a], tuple(index.article_passages(a)), seen, article_vector(index, a)
    )


def _split(monday: date) -> str:
    digest = hashlib.sha256(monday.isoformat().encode()).digest()
    return "held" if digest[0] % 5 < HELD_FIFTHS else "fit"
