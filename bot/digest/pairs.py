"""Which article pairs are worth scoring, and the measured signals of each pair.

Candidates come from shared rare-enough terms and names (blocking): a term or
name carried by more than ``BLOCK_LIMIT`` articles of the digest says little
about any one pair and would make the pairs grow with the square of the
articles, so it does not propose pairs (it still counts in the similarity).
Each article keeps its ``NEIGHBOURS`` best-sharing candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from bot.digest.profiles import Profiles, pair_cosines

#: Salient terms of an article that propose pairs (its profile's strongest).
BLOCK_TERMS = 10
#: A term or name in more articles than this proposes no pairs: a story of one
#: event rarely spans more reports than this within a digest.
BLOCK_LIMIT = 100
#: Candidates kept per article: far more than any story's size.
NEIGHBOURS = 30
#: The signals of a pair, in the order the fitted coefficients use.
SIGNALS = ("terms", "title", "names", "dense")

Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Pairs:
    """Candidate pairs ``left[k] < right[k]`` with one row of signals each."""

    left: Ints
    right: Ints
    signals: npt.NDArray[np.float64]  # (pairs, len(SIGNALS)); dense is 0 without vectors
    days: npt.NDArray[np.float64]  # days between the two articles

    def __len__(self) -> int:
        return len(self.left)


def candidate_pairs(profiles: Profiles) -> Pairs:
    """The pairs worth scoring among ``profiles``, with their signals."""
    left, right = _blocked(profiles)
    signals = np.zeros((len(left), len(SIGNALS)))
    signals[:, 0] = pair_cosines(profiles.terms, left, right)
    signals[:, 1] = pair_cosines(profiles.titles, left, right)
    signals[:, 2] = pair_cosines(profiles.names, left, right)
    if profiles.dense is not None:
        signals[:, 3] = _dense_cosines(profiles.dense, left, right)
    return Pairs(left, right, signals, profiles.days_apart(left, right))


def _blocked(profiles: Profiles) -> tuple[Ints, Ints]:
    columns = sparse.hstack([_strongest(profiles.terms, BLOCK_TERMS), profiles.names]).tocsc()
    columns.data[:] = 1.0
    df = np.diff(columns.indptr)
    useful = np.flatnonzero((df >= 2) & (df <= BLOCK_LIMIT))
    keys = columns[:, useful].tocsr()
    # Weight a shared key by its rarity, so the neighbours kept share the rarest keys.
    rarity = np.log((keys.shape[0] + 1) / (df[useful] + 0.5))
    weighted = keys @ sparse.diags(rarity)
    both = (weighted @ keys.T).tocsr()
    both.setdiag(0.0)
    both.eliminate_zeros()
    lefts: list[Ints] = []
    rights: list[Ints] = []
    for i in range(both.shape[0]):
        start, end = both.indptr[i], both.indptr[i + 1]
        columns, values = both.indices[start:end], both.data[start:end]
        if len(columns) > NEIGHBOURS:
            columns = columns[np.argpartition(-values, NEIGHBOURS - 1)[:NEIGHBOURS]]
        lefts.append(np.minimum(i, columns).astype(np.int64))
        rights.append(np.maximum(i, columns).astype(np.int64))
    if not lefts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    codes = np.unique(np.concatenate(lefts) * both.shape[0] + np.concatenate(rights))
    return codes // both.shape[0], codes % both.shape[0]


def _strongest(matrix: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    """Each row's ``keep`` largest entries."""
    out = matrix.copy()
    for i in range(out.shape[0]):
        start, end = out.indptr[i], out.indptr[i + 1]
        if end - start > keep:
            row = out.data[start:end]
            row[np.argsort(-row)[keep:]] = 0.0
    out.eliminate_zeros()
    return out


def _dense_cosines(
    dense: npt.NDArray[np.float32], left: Ints, right: Ints
) -> npt.NDArray[np.float64]:
    out = np.empty(len(left))
    step = 65_536  # pairs a chunk: bounds the temporary to ~65k x dims floats
    for start in range(0, len(left), step):
        a = dense[left[start : start + step]]
        b = dense[right[start : start + step]]
        out[start : start + step] = np.einsum("ij,ij->i", a, b)
    return out
