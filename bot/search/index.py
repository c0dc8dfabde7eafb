"""The passage index: segments seen as one, ranked with BM25+ over all of them."""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.embed.models import Embedder
from bot.models import Article, ArticleRef, Hit, Passage, SearchResult
from bot.search.chunks import article_ref, index_articles
from bot.search.dense import top_k
from bot.search.engines import RANK_BM25, RankBm25Scorer, check_engine
from bot.search.parts import NO_DELETIONS, Deletions, LiveRefs, LiveTexts, Parts
from bot.search.scoring import Bm25Scorer, DocFreq
from bot.search.segment import Segment
from bot.search.vectors import DenseView
from bot.search.writer import SegmentWriter
from bot.text.tokenize import Tokenizer

__all__ = ["PassageTable", "SearchIndex", "article_ref", "build_index"]


@dataclass(frozen=True, slots=True)
class PassageTable:
    """Column-wise passages: which article, which heading, what text."""

    article_of: npt.NDArray[np.int32]
    heading_of: npt.NDArray[np.int32]  # index into ``headings``; -1 for none
    headings: tuple[str, ...]
    texts: Sequence[str]

    def __len__(self) -> int:
        return len(self.article_of)


class SearchIndex:
    """Ranks passages for a query and knows their articles.

    Args:
        pairs: the segments, each with its deletions, in index order.
        tokenizer: the tokenizer the segments were built with.
        engine: ``bm25`` (the segments' postings) or ``rank-bm25`` (the reference).
        dense_ident: the static model the segments' vectors come from (``off``: none).
    """

    def __init__(
        self,
        pairs: Sequence[tuple[Segment, Deletions]],
        tokenizer: Tokenizer,
        *,
        engine: str = "bm25",
        dense_ident: str = "off",
    ) -> None:
        self.segments = tuple(pairs)
        self.parts = parts = Parts(pairs)
        self.tokenizer = tokenizer
        self.engine = check_engine(engine)
        self.articles: Sequence[ArticleRef] = LiveRefs(parts)
        self.passages = _passage_table(parts)
        self.doc_freq = DocFreq(parts)
        self._bm25 = Bm25Scorer(parts, self.doc_freq)
        self._rank: RankBm25Scorer | None = None
        has_vectors = bool(parts.items) and all(p.segment.dense is not None for p in parts.items)
        self.dense = DenseView(parts, dense_ident) if has_vectors and dense_ident != "off" else None
        self._words: dict[str, int] | None = None
        self._starts = np.searchsorted(self.passages.article_of, np.arange(len(self.articles) + 1))

    @property
    def words(self) -> dict[str, int]:
        """Every surface word of the corpus (case-folded) with its count; read once."""
        if self._words is None:
            counts: Counter[str] = Counter()
            for part in self.parts.items:
                counts.update(part.segment.words())
                counts.subtract(part.deletions.words)
            self._words = {w: n for w, n in counts.items() if n > 0}
        return self._words

    def passage_number(self, i: int) -> int:
        """The position of passage ``i`` within its article (0 = the lead)."""
        return i - int(self._starts[int(self.passages.article_of[i])])

    def article_span(self, a: int) -> tuple[int, int]:
        """The positions ``start`` (inclusive) to ``end`` of the ``a``-th article's passages."""
        return int(self._starts[a]), int(self._starts[a + 1])

    def article_passages(self, a: int) -> list[str]:
        """The passage texts of the ``a``-th article, in order."""
        start, end = self.article_span(a)
        return [self.passages.texts[i] for i in range(start, end)]

    def idf(self, term: str) -> float:
        """The term's weight: rarer is heavier; an unknown term weighs the most."""
        n = len(self.passages)
        df = self.doc_freq.get(term, 0)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def passage(self, i: int) -> Passage:
        """The ``i``-th passage."""
        heading = int(self.passages.heading_of[i])
        return Passage(
            article=self.articles[int(self.passages.article_of[i])],
            heading=self.passages.headings[heading] if heading >= 0 else None,
            text=self.passages.texts[i],
        )

    def candidates(
        self, terms: Sequence[str]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """The passages holding any of ``terms`` and their BM25 scores (all others score 0)."""
        known = self._known(terms)
        if not known:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        if self.engine == RANK_BM25:
            if self._rank is None:
                self._rank = RankBm25Scorer(self)
            scores = self._rank.scores(known)
            found = np.flatnonzero(scores > 0)
            return found, scores[found]
        return self._bm25.candidates(known)

    def scores(self, terms: Sequence[str]) -> npt.NDArray[np.float64]:
        """Every passage's BM25 score for ``terms`` (all zero when none is known)."""
        result = np.zeros(len(self.passages))
        found, scores = self.candidates(terms)
        result[found] = scores
        return result

    def top_passages(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The ``k`` best passages for ``terms`` as ``(position, score)``, best first."""
        found, scores = self.candidates(terms)
        return [(int(found[j]), float(scores[j])) for j in top_k(scores, k, found)]

    def _known(self, terms: Sequence[str]) -> list[str]:
        """``terms`` the corpus holds, each once, in order."""
        return list(dict.fromkeys(t for t in terms if t in self.doc_freq))

    def search(self, query: str, k: int = 5) -> SearchResult:
        """One hit per article (its best passage), best first."""
        started = time.perf_counter()
        found, scores = self.candidates(self.tokenizer(query))
        hits: list[Hit] = []
        depth = max(4 * k, 20)
        while True:  # scored once; only the selection deepens when articles repeat
            hits, seen = [], set()
            ranked = top_k(scores, depth, found)
            for j in ranked:
                i = int(found[j])
                article = int(self.passages.article_of[i])
                if article not in seen:
                    seen.add(article)
                    hits.append(Hit(self.passage(i), float(scores[j])))
                    if len(hits) == k:
                        break
            if len(hits) == k or len(ranked) < depth:
                break
            depth *= 4
        took = (time.perf_counter() - started) * 1000
        return SearchResult(query=query, hits=tuple(hits), took_ms=took)


def _passage_table(parts: Parts) -> PassageTable:
    """The live passages of every part, numbered across parts."""
    article_of: list[npt.NDArray[np.int32]] = []
    heading_of: list[npt.NDArray[np.int32]] = []
    headings: list[str] = []
    for part in parts.items:
        segment = part.segment
        number = np.full(len(segment.refs), -1, dtype=np.int64)
        number[part.articles] = part.article_base + np.arange(len(part.articles))
        article_of.append(number[segment.article_of[part.passages]].astype(np.int32))
        local = segment.heading_of[part.passages]
        heading_of.append(np.where(local >= 0, local + len(headings), -1).astype(np.int32))
        headings.extend(segment.headings)
    empty = np.zeros(0, dtype=np.int32)
    return PassageTable(
        article_of=np.concatenate(article_of) if article_of else empty,
        heading_of=np.concatenate(heading_of) if heading_of else empty,
        headings=tuple(headings),
        texts=LiveTexts(parts),
    )


def build_index(
    articles: Sequence[Article],
    engine_name: str,
    tokenizer: Tokenizer,
    progress: Callable[[str], None] | None = None,
    *,
    embedder: Embedder | None = None,
    embed_ident: str = "",
) -> SearchIndex:
    """Indexes ``articles`` held in memory as one segment (and, given an ``embedder``,
    with dense vectors beside it)."""
    pairs = ((a, a.path or a.id) for a in articles)
    writer = SegmentWriter()
    writer.add(index_articles(pairs, tokenizer, embedder))
    if progress:
        progress(f"indexed {writer.articles} articles")
    segment = writer.finish(dense=embedder is not None)
    ident = (embed_ident or "memory") if embedder is not None else "off"
    return SearchIndex([(segment, NO_DELETIONS)], tokenizer, engine=engine_name, dense_ident=ident)
