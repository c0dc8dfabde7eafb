"""The passage index: passages, their articles, term statistics and an engine."""

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
from bot.search.dense import DenseVectors, embed_passages, passage_context, top_k
from bot.search.engines import Engine, engine_class
from bot.search.passages import article_passages
from bot.text.tokenize import Tokenizer, surface_words


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
        articles: every article, in the order ``PassageTable.article_of`` refers to.
        passages: the passages.
        engine: scores passages for query terms.
        doc_freq: how many passages hold each term (for idf weights).
        tokenizer: the tokenizer the index was built with.
        dense: the passages' semantic vectors, when an embedding model is on.
        words: reads the corpus's surface words and their counts (for spelling).
    """

    def __init__(
        self,
        articles: Sequence[ArticleRef],
        passages: PassageTable,
        engine: Engine,
        doc_freq: dict[str, int],
        tokenizer: Tokenizer,
        *,
        dense: DenseVectors | None = None,
        words: Callable[[], dict[str, int]] = dict,
    ) -> None:
        self.articles = tuple(articles)
        self.passages = passages
        self.engine = engine
        self.doc_freq = doc_freq
        self.tokenizer = tokenizer
        self.dense = dense
        self._read_words = words
        self._words: dict[str, int] | None = None
        # Passages are stored article by article, so each article's are one slice.
        self._starts = np.searchsorted(passages.article_of, np.arange(len(self.articles) + 1))

    @property
    def words(self) -> dict[str, int]:
        """Every surface word of the corpus (case-folded) with its count; read once."""
        if self._words is None:
            self._words = self._read_words()
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

    def scores(self, terms: Sequence[str]) -> npt.NDArray[np.float64]:
        """Every passage's BM25 score for ``terms`` (all zero when none is known)."""
        known = self._known(terms)
        if not known:
            return np.zeros(len(self.passages))
        return np.asarray(self.engine.scores(known), dtype=np.float64)

    def top_passages(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The ``k`` best passages for ``terms`` as ``(position, score)``, best first."""
        known = self._known(terms)
        if not known or k <= 0:
            return []
        scores = self.engine.scores(known)
        return [(i, float(scores[i])) for i in top_k(scores, k) if scores[i] > 0]

    def _known(self, terms: Sequence[str]) -> list[str]:
        """``terms`` the corpus holds, each once, in order."""
        return list(dict.fromkeys(t for t in terms if t in self.doc_freq))

    def search(self, query: str, k: int = 5) -> SearchResult:
        """One hit per article (its best passage), best first."""
        started = time.perf_counter()
        terms = self.tokenizer(query)
        hits: list[Hit] = []
        seen: set[int] = set()
        depth = max(4 * k, 20)
        while True:
            ranked = self.top_passages(terms, depth)
            for i, score in ranked:
                article = int(self.passages.article_of[i])
                if article not in seen:
                    seen.add(article)
                    hits.append(Hit(self.passage(i), score))
                    if len(hits) == k:
                        break
            if len(hits) == k or len(ranked) < depth:
                break
            hits, seen, depth = [], set(), depth * 4
        took = (time.perf_counter() - started) * 1000
        return SearchResult(query=query, hits=tuple(hits), took_ms=took)


def build_index(
    articles: Sequence[Article],
    engine_name: str,
    tokenizer: Tokenizer,
    progress: Callable[[str], None] | None = None,
    *,
    embedder: Embedder | None = None,
    embed_ident: str = "",
) -> SearchIndex:
    """Cuts ``articles`` into passages and indexes them with the named engine
    (and, given an ``embedder``, with dense vectors beside it)."""
    article_of: list[int] = []
    heading_of: list[int] = []
    heading_ids: dict[str, int] = {}
    texts: list[str] = []
    contexts: list[str] = []
    corpus: list[list[str]] = []
    doc_freq: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for a, article in enumerate(articles):
        title_terms = tokenizer(article.title)
        words.update(surface_words(article.title))
        for heading, text in article_passages(article):
            terms = title_terms + tokenizer(heading or "") + tokenizer(text)
            article_of.append(a)
            heading_of.append(heading_ids.setdefault(heading, len(heading_ids)) if heading else -1)
            texts.append(text)
            if embedder is not None:
                contexts.append(passage_context(article.title, heading, text))
            corpus.append(terms)
            doc_freq.update(set(terms))
            words.update(surface_words(text))
    if progress:
        progress(f"indexing {len(texts)} passages from {len(articles)} articles")
    table = PassageTable(
        article_of=np.asarray(article_of, dtype=np.int32),
        heading_of=np.asarray(heading_of, dtype=np.int32),
        headings=tuple(heading_ids),
        texts=texts,
    )
    engine = engine_class(engine_name).build(corpus)
    dense = embed_passages(contexts, embedder, embed_ident) if embedder is not None else None
    refs = [article_ref(a) for a in articles]
    vocabulary = dict(words)
    return SearchIndex(
        refs, table, engine, dict(doc_freq), tokenizer, dense=dense, words=lambda: vocabulary
    )


def article_ref(article: Article) -> ArticleRef:
    """The citation-sized view of an article."""
    return ArticleRef(
        article_id=article.id,
        title=article.title,
        url=article.url,
        source=article.source,
        published=article.published,
        generated_title=article.generated_title,
    )
