"""BM25+ over the segments' postings, with the corpus-wide statistics of every segment.

A passage's score for a term is ``idf * (k1 + 1) * tf / (tf + k1 * (1 - b + b * dl / avgdl))``
with ``idf = log((N + 1) / df)`` (BM25+'s idf, positive for every term), where ``N``,
``avgdl`` and ``df`` count the live passages of every segment together. That is
bm25s's "bm25+" score for a passage that holds the term; a passage that holds no
query term scores 0 (see ``bot.search.engines``). Only the passages that hold a
query term are ever touched.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from bot.search.engines import K1, B
from bot.search.parts import Parts


class DocFreq(Mapping[str, int]):
    """How many live passages hold each term, across segments (absent: none)."""

    def __init__(self, parts: Parts) -> None:
        self._parts = parts

    def __getitem__(self, term: str) -> int:
        n = 0
        for part in self._parts.items:
            n += part.segment.postings.df(term) - part.deletions.df.get(term, 0)
        if n <= 0:
            raise KeyError(term)
        return n

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.get(term, 0) > 0

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for part in self._parts.items:
            for term in part.segment.postings.terms:
                if term not in seen:
                    seen.add(term)
                    if term in self:
                        yield term

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Bm25Scorer:
    """Scores the live passages of every part for a bag of known terms."""

    def __init__(self, parts: Parts, doc_freq: DocFreq) -> None:
        self._parts = parts
        self._doc_freq = doc_freq
        total = sum(p.segment.total_length - p.deletions.length for p in parts.items)
        self._n = parts.passage_count
        avgdl = total / self._n if self._n else 1.0
        #: Each part's per-passage length normalisation, ``k1 * (1 - b + b * dl / avgdl)``.
        self._norms = [K1 * (1.0 - B + B * p.segment.lengths / avgdl) for p in parts.items]
        self._scratch = threading.local()  # per thread: searches run on several

    def candidates(
        self, terms: Sequence[str]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """The live passages holding any of ``terms`` (all known) and their scores."""
        found: list[npt.NDArray[np.int64]] = []
        scored: list[npt.NDArray[np.float64]] = []
        for term in terms:
            idf = math.log((self._n + 1) / self._doc_freq[term])
            for part, norm in zip(self._parts.items, self._norms, strict=True):
                column = part.segment.postings.column(term)
                if column is None:
                    continue
                docs, tfs = column
                tf = tfs.astype(np.float64)
                score = idf * (K1 + 1.0) * tf / (tf + norm[docs])
                if part.live_passages is not None:
                    live = part.live_passages[docs]
                    docs, score = docs[live], score[live]
                found.append(part.positions(docs))
                scored.append(score)
        if len(found) == 1:
            return found[0], scored[0]
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return self._sum(found, scored)

    def _sum(
        self, found: list[npt.NDArray[np.int64]], scored: list[npt.NDArray[np.float64]]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """Adds up several terms' scores by passage, touching only those passages: the
        thread's scratch arrays are left zeroed again (clearing or scanning arrays of
        every passage would cost more than scoring, at a million passages)."""
        total, seen = self._scratch_arrays()
        hits = []
        for positions, score in zip(found, scored, strict=True):
            total[positions] += score  # a term lists a passage once: plain addition is exact
            fresh = positions[~seen[positions]]
            seen[fresh] = True
            hits.append(fresh)
        hit = np.concatenate(hits)
        result = total[hit]
        total[hit] = 0.0
        seen[hit] = False
        return hit, result

    def _scratch_arrays(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        scratch = self._scratch
        if getattr(scratch, "total", None) is None:
            scratch.total = np.zeros(self._n)
            scratch.seen = np.zeros(self._n, dtype=bool)
        return scratch.total, scratch.seen
