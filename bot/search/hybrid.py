"""Hybrid retrieval: BM25 and dense passage scores, fused.

BM25 stays the centre (exact names, numbers, versions); the dense similarity
adds passages that say the same thing in other words. The fused score is a
convex combination of BM25 scaled by the query's best BM25 score and the cosine
similarity; its weight is fitted by ``bench/fit_answers.py`` on SQuAD-dev
retrieval and read from ``bot/answer/weights.json``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.embed.lazy import LazyModel
from bot.models import Hit, SearchResult
from bot.search.dense import best, top_k
from bot.search.index import SearchIndex

#: Passages ranked for ``k`` article hits: deep enough that one article's
#: several passages do not crowd the others out.
DEPTH_PER_RESULT = 10
MIN_DEPTH = 50
#: Candidates per passage asked for, chosen twice: by cosine estimated from sign
#: codes, and among BM25 matches by fused score with that estimate; only they get
#: an exact cosine. Chosen by ``bench/dense_recall.py`` on SciFact and SQuAD-dev:
#: the smallest value whose fused top 10 equals the exact one in >= 99.9% of queries.
CANDIDATES_PER_RESULT = 10


@dataclass(frozen=True, slots=True)
class Retrieved:
    """One passage's place in the fused ranking, with both raw scores."""

    position: int
    fused: float
    bm25: float
    bm25_top: bool  # BM25 alone would rank it first
    dense: float  # cosine to the question; 0 without dense vectors


class Retriever:
    """Ranks passages with BM25 and, when a static model is on, dense vectors.

    Args:
        index: the passage index (its ``dense`` vectors may be ``None``).
        static: the model that embeds queries as the passages were.
        dense_weight: the cosine's share of the fused score (0: BM25 alone).
        exact: compute every passage's cosine, not only the candidates' (for
            ``bench/dense_recall.py``, which measures what the candidates miss).
    """

    def __init__(
        self,
        index: SearchIndex,
        static: LazyModel | None,
        dense_weight: float,
        *,
        exact: bool = False,
    ) -> None:
        self.index = index
        self._static = static
        self.dense_weight = dense_weight  # public: the fitting script tries values
        self.exact = exact

    def passages(self, query: str, k: int, *, terms: list[str] | None = None) -> list[Retrieved]:
        """The ``k`` best passages for ``query``, fused, best first.

        With dense vectors, the cosine is computed exactly only for candidates: the
        passages whose cosine, estimated from sign codes, is among the best, and the
        BM25 matches whose fused score with that estimate is (``CANDIDATES_PER_RESULT``;
        ``exact=True`` computes every cosine instead)."""
        terms = self.index.tokenizer(query) if terms is None else terms
        found, scores = self.index.candidates(terms)
        top_bm25 = float(scores.max()) if len(scores) else 0.0
        vector = self._query_vector(query)
        if vector is None and top_bm25 <= 0:
            return []  # BM25 alone and no query term in the corpus: nothing is related
        bm25 = np.zeros(len(self.index.passages))
        bm25[found] = scores
        positions, sims = self._dense_scores(vector, found, scores / (top_bm25 or 1.0), k)
        lexical = bm25 if positions is None else bm25[positions]
        fused = lexical / top_bm25 if top_bm25 > 0 else np.zeros(len(lexical))
        if sims is not None:
            fused = (1.0 - self.dense_weight) * fused + self.dense_weight * sims
        # the first passage with the best score, as ``np.argmax`` over all would pick
        best_bm25 = int(found[scores == top_bm25].min()) if top_bm25 > 0 else -1
        at = (lambda j: j) if positions is None else (lambda j: int(positions[j]))
        return [
            Retrieved(
                position=at(j),
                fused=float(fused[j]),
                bm25=float(lexical[j]),
                bm25_top=at(j) == best_bm25,
                dense=float(sims[j]) if sims is not None else 0.0,
            )
            for j in top_k(fused, k, positions)
        ]

    def _dense_scores(
        self,
        vector: npt.NDArray[np.float32] | None,
        found: npt.NDArray[np.int64],
        lexical: npt.NDArray[np.float64],
        k: int,
    ) -> tuple[npt.NDArray[np.int64] | None, npt.NDArray[np.float64] | None]:
        """The passages to rank (``None``: all) and their exact cosines (``None``: no
        dense vectors), given the BM25 matches ``found`` and their scaled scores."""
        dense = self.index.dense
        if vector is None or dense is None:
            return None, None
        pool = CANDIDATES_PER_RESULT * k
        if self.exact or 2 * pool >= len(dense):
            return None, dense.similarities(vector).astype(np.float64)
        estimates = dense.estimates(vector)
        by_cosine = best(estimates, pool)
        if len(found) > pool:
            w = self.dense_weight
            found = found[best((1.0 - w) * lexical + w * estimates[found], pool)]
        positions = np.union1d(by_cosine, found).astype(np.int64)
        return positions, dense.similarities_of(vector, positions).astype(np.float64)

    def _query_vector(self, query: str) -> npt.NDArray[np.float32] | None:
        """``query`` embedded by the static model; ``None`` without dense vectors or model."""
        dense = self.index.dense
        model = self._static.get() if self._static is not None and dense is not None else None
        if dense is None or model is None or len(dense) == 0:
            return None
        vector: npt.NDArray[np.float32] = model.embed([query])[0]
        return vector

    def search(self, query: str, k: int = 5) -> SearchResult:
        """One hit per article (its best passage in the fused ranking), best first.

        A query none of whose words occurs in the corpus has no hits: every passage
        has *some* cosine to any text, and a search that lists articles for
        gibberish would be noise. (``ask`` still weighs such passages, and its
        answer model says nothing unless they answer.)"""
        started = time.perf_counter()
        terms = self.index.tokenizer(query)
        no_dense = self.index.dense is None or self._static is None or self._static.get() is None
        if no_dense or not any(t in self.index.doc_freq for t in terms):
            return self.index.search(query, k)
        depth = max(DEPTH_PER_RESULT * k, MIN_DEPTH)
        while True:
            ranked = self.passages(query, depth, terms=terms)
            firsts: dict[int, Retrieved] = {}  # each article's best passage
            for r in ranked:
                firsts.setdefault(int(self.index.passages.article_of[r.position]), r)
                if len(firsts) == k:
                    break
            if len(firsts) >= k or len(ranked) < depth:
                break
            depth *= 4
        hits = tuple(Hit(self.index.passage(r.position), r.fused) for r in firsts.values())
        took = (time.perf_counter() - started) * 1000
        return SearchResult(query=query, hits=hits, took_ms=took)

    def sentence_similarities(self, query: str, texts: list[str]) -> npt.NDArray[np.float64] | None:
        """The static-model cosine of ``query`` to each text; ``None`` without the model."""
        model = self._static.get() if self._static is not None else None
        if model is None or not texts:
            return None
        vectors = model.embed([query, *texts])
        sims: npt.NDArray[np.float64] = (vectors[1:] @ vectors[0]).astype(np.float64)
        return sims

    def similarities(self, query: str) -> npt.NDArray[np.float64] | None:
        """Every passage's exact cosine to ``query``; ``None`` without dense vectors or model."""
        vector = self._query_vector(query)
        if vector is None or self.index.dense is None:
            return None
        return self.index.dense.similarities(vector).astype(np.float64)
