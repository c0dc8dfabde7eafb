"""What the grouping knows about each article of a digest, as matrices.

Every article becomes four unit-length profiles, one row each: its salient
terms (idf-weighted), its title's terms, the names it mentions (weighted by how
rare each is within this digest, so a name most articles carry links nothing),
and, when the embedding model is on, its semantic vector.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
from scipy import sparse

from bot.models import ArticleRef
from bot.text.entities import named_entities

#: Terms kept per article, the most salient first: a bound on memory for very
#: long texts (about 5,000 words), not a choice of words; a shorter profile
#: loses what long reports of one story share beyond their leads.
PROFILE_TERMS = 1000
#: Pairs compared per step: bounds the temporary matrices to a few million entries.
PAIR_CHUNK = 16_384
#: Names read from an article (most prominent first).
PROFILE_NAMES = 20

Tokenize = Callable[[str], list[str]]
Idf = Callable[[str], float]
Matrix = sparse.csr_matrix  # a type alias: one row per article


@dataclass(frozen=True, slots=True)
class DigestArticle:
    """An article entering a digest: its text, when teambot first saw it and,
    with the embedding model on, its semantic vector (unit length)."""

    ref: ArticleRef
    passages: tuple[str, ...]
    first_seen: datetime
    dense: npt.NDArray[np.float32] | None = None


@dataclass(frozen=True, slots=True)
class Profiles:
    """One row per article: ``terms``, ``titles`` and ``names`` are sparse unit
    rows; ``dense`` is ``None`` unless every article has a vector."""

    articles: tuple[DigestArticle, ...]
    terms: Matrix
    titles: Matrix
    names: Matrix
    dense: npt.NDArray[np.float32] | None
    names_of: tuple[tuple[str, ...], ...]
    vocabulary: tuple[str, ...]  # the term of each column of ``terms``
    published: npt.NDArray[np.float64]  # day number of the stated date; -1 for none
    seen: npt.NDArray[np.float64]  # when teambot first saw it, in days

    def days_apart(
        self, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float64]:
        """Days between the articles of each pair: between their publication dates
        when both state one, else between when teambot first saw them (an undated
        article is as new as its arrival)."""
        dated = (self.published[left] >= 0) & (self.published[right] >= 0)
        stated = np.abs(self.published[left] - self.published[right])
        return np.where(dated, stated, np.abs(self.seen[left] - self.seen[right]))

    def __len__(self) -> int:
        return len(self.articles)

    def subset(self, rows: Sequence[int]) -> Profiles:
        """The profiles of the articles at ``rows``, in that order."""
        take = np.asarray(rows, dtype=np.int64)
        return Profiles(
            articles=tuple(self.articles[i] for i in rows),
            terms=self.terms[take],
            titles=self.titles[take],
            names=self.names[take],
            dense=None if self.dense is None else self.dense[take],
            names_of=tuple(self.names_of[i] for i in rows),
            vocabulary=self.vocabulary,
            published=self.published[take],
            seen=self.seen[take],
        )


def build_profiles(articles: Sequence[DigestArticle], tokenize: Tokenize, idf: Idf) -> Profiles:
    """The profiles of ``articles`` (term weights from the corpus's ``idf``)."""
    term_rows: list[dict[str, float]] = []
    title_rows: list[dict[str, float]] = []
    names_of: list[tuple[str, ...]] = []
    weights: dict[str, float] = {}  # idf of each term seen: terms recur across articles

    def weight(term: str) -> float:
        found = weights.get(term)
        if found is None:
            found = weights[term] = idf(term)
        return found

    for article in articles:
        text = "\n".join(article.passages)
        counts = Counter(tokenize(f"{article.ref.title}\n{text}"))
        row = {t: (1 + math.log(c)) * weight(t) for t, c in counts.items()}
        if len(row) > PROFILE_TERMS:
            row = dict(heapq.nlargest(PROFILE_TERMS, row.items(), key=lambda item: item[1]))
        term_rows.append(row)
        title_rows.append({t: weight(t) for t in set(tokenize(article.ref.title))})
        names_of.append(tuple(named_entities(text, limit=PROFILE_NAMES)))
    name_df = Counter(n.lower() for names in names_of for n in set(names))
    total = len(articles)
    name_rows = [
        {n.lower(): math.log((total + 1) / (name_df[n.lower()] + 0.5)) for n in names}
        for names in names_of
    ]
    vectors = [a.dense for a in articles]
    dense = None
    if articles and all(v is not None for v in vectors):
        dense = np.vstack([v for v in vectors if v is not None]).astype(np.float32)
    terms, vocabulary = unit_rows(term_rows)
    return Profiles(
        articles=tuple(articles),
        terms=terms,
        titles=unit_rows(title_rows)[0],
        names=unit_rows(name_rows)[0],
        dense=dense,
        names_of=tuple(names_of),
        vocabulary=vocabulary,
        published=np.array(
            [a.ref.published.toordinal() if a.ref.published else -1 for a in articles],
            dtype=np.float64,
        ),
        seen=np.array([a.first_seen.timestamp() / 86_400 for a in articles], dtype=np.float64),
    )


def unit_rows(rows: Sequence[dict[str, float]]) -> tuple[Matrix, tuple[str, ...]]:
    """A sparse matrix of ``rows``, each scaled to length 1, and the key of each column."""
    columns: dict[str, int] = {}
    indices: list[int] = []
    data: list[float] = []
    indptr = [0]
    for row in rows:
        norm = math.sqrt(sum(w * w for w in row.values())) or 1.0
        for key, weight in row.items():
            if weight > 0:
                indices.append(columns.setdefault(key, len(columns)))
                data.append(weight / norm)
        indptr.append(len(indices))
    matrix = sparse.csr_matrix(
        (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), indptr),
        shape=(len(rows), max(1, len(columns))),
    )
    return matrix, tuple(columns)


def pair_cosines(
    matrix: Matrix, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """The cosine of each (``left[k]``, ``right[k]``) row pair of a unit-row matrix."""
    out = np.zeros(len(left))
    for start in range(0, len(left), PAIR_CHUNK):
        stop = start + PAIR_CHUNK
        product = matrix[left[start:stop]].multiply(matrix[right[start:stop]])
        out[start:stop] = np.asarray(product.sum(axis=1), dtype=np.float64).ravel()
    return out
