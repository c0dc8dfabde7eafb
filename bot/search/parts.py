"""Segments with their deletions, seen as one index with one numbering.

Each segment keeps its own numbering of articles and passages; the index numbers
the *live* ones (not deleted or replaced) across segments, in segment order. A
``Parts`` maps between the two, and the composite sequences below read through it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from bot.models import ArticleRef
from bot.search.segment import LazySequence, Segment

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Deletions:
    """The articles of one segment that no longer count, and what they took with them.

    ``df``, ``length``, ``passages`` and ``words`` are what the deleted articles
    contributed to the segment's statistics, kept so that the index's BM25
    statistics equal a fresh build's without reading the deleted passages again.
    """

    articles: tuple[int, ...] = ()
    df: dict[str, int] = field(default_factory=dict)
    length: int = 0
    passages: int = 0
    words: dict[str, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.articles)


NO_DELETIONS = Deletions()


class Part:
    """One segment, its deletions, and where its live rows sit in the index."""

    def __init__(self, segment: Segment, deletions: Deletions, article_base: int, base: int):
        self.segment = segment
        self.deletions = deletions
        self.article_base = article_base
        self.base = base
        live = np.ones(len(segment.refs), dtype=bool)
        if deletions:
            live[np.asarray(deletions.articles, dtype=np.int64)] = False
        self.live_articles = live
        #: Local numbers of the live articles and passages, in order.
        self.articles = np.flatnonzero(live).astype(np.int64)
        self.live_passages = live[segment.article_of] if deletions else None
        self.passages = (
            np.flatnonzero(self.live_passages)
            if self.live_passages is not None
            else np.arange(segment.passage_count, dtype=np.int64)
        )
        #: Local passage number -> index position (-1: deleted).
        self.remap: npt.NDArray[np.int64] | None = None
        if self.live_passages is not None:
            remap = np.full(segment.passage_count, -1, dtype=np.int64)
            remap[self.passages] = base + np.arange(len(self.passages))
            self.remap = remap

    def positions(self, docs: npt.NDArray[np.int32]) -> npt.NDArray[np.int64]:
        """The index positions of live local passages ``docs``."""
        if self.remap is None:
            return docs.astype(np.int64) + self.base
        return self.remap[docs]


class Parts:
    """The index's parts and the offsets that find a row's part."""

    def __init__(self, pairs: Sequence[tuple[Segment, Deletions]]) -> None:
        parts: list[Part] = []
        articles = passages = 0
        for segment, deletions in pairs:
            part = Part(segment, deletions, articles, passages)
            parts.append(part)
            articles += len(part.articles)
            passages += len(part.passages)
        self.items = tuple(parts)
        self.article_bases = np.asarray([p.article_base for p in parts] + [articles])
        self.passage_bases = np.asarray([p.base for p in parts] + [passages])
        self.article_count = articles
        self.passage_count = passages

    def of_passage(self, i: int) -> tuple[Part, int]:
        """The part holding index passage ``i`` and its local passage number."""
        k = int(np.searchsorted(self.passage_bases, i, side="right")) - 1
        part = self.items[k]
        return part, int(part.passages[i - part.base])

    def of_article(self, a: int) -> tuple[Part, int]:
        """The part holding index article ``a`` and its local article number."""
        k = int(np.searchsorted(self.article_bases, a, side="right")) - 1
        part = self.items[k]
        return part, int(part.articles[a - part.article_base])


class _Composite(LazySequence[T]):
    """A read-only sequence over the live rows of every part."""

    def __init__(self, parts: Parts, count: int) -> None:
        self._parts = parts
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[T]:
        for part in self._parts.items:
            yield from self._rows(part)

    def _rows(self, part: Part) -> Iterator[T]:
        raise NotImplementedError


class LiveTexts(_Composite[str]):
    """The live passages' texts, in index order."""

    def __init__(self, parts: Parts) -> None:
        super().__init__(parts, parts.passage_count)

    def _get(self, i: int) -> str:
        part, local = self._parts.of_passage(i)
        return part.segment.texts[local]

    def _rows(self, part: Part) -> Iterator[str]:
        texts = part.segment.texts
        return (texts[int(p)] for p in part.passages)


class LiveRefs(_Composite[ArticleRef]):
    """The live articles, in index order."""

    def __init__(self, parts: Parts) -> None:
        super().__init__(parts, parts.article_count)

    def _get(self, i: int) -> ArticleRef:
        part, local = self._parts.of_article(i)
        return part.segment.refs[local]

    def _rows(self, part: Part) -> Iterator[ArticleRef]:
        refs = part.segment.refs
        return (refs[int(a)] for a in part.articles)
