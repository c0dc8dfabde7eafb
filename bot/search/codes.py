"""Sign codes of the dense vectors: a first pass that reads 32 bytes a passage, not 1 KiB.

The exact cosine of every passage reads the whole float32 matrix on every query
(143 MB at 140,000 passages: memory-bound, about 9 ms). A segment therefore also
keeps, for each unit vector ``p``, the signs of ``R (p - c)``: ``c`` is the
segment's mean vector (static embeddings share a large common direction, a mean
of norm 0.6-0.7 on SQuAD and SciFact, which would make most signs alike), ``R`` a
fixed random rotation that spreads each direction over every bit. The Hamming
distance ``h`` between a passage's code and the signs of ``R q`` estimates the
angle between ``q`` and ``p - c`` (random-hyperplane hashing, Charikar 2002), so

    cos(q, p) = q . c + q . (p - c)  ~  q . c + |p - c| cos(pi h / D)

estimates the cosine from the codes and one float per passage. It only chooses
candidates; their cosines are then computed exactly from the float32 rows.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

#: The rotation's seed: any fixed value; a segment's codes and a query's must come
#: from the same rotation, so it is part of the segment format.
ROTATION_SEED = 20_261_207
#: Rows encoded per matrix product while building: bounds the temporary copy.
ENCODE_ROWS = 16_384
_WORD = 64


@dataclass(frozen=True, slots=True)
class DenseCodes:
    """One segment's sign codes (column-major: ``words[j]`` is every passage's
    ``j``-th 64-bit word, so a query's pass reads each column straight through),
    each passage's ``|p - c|``, and the centre ``c``."""

    words: npt.NDArray[np.uint64]  # (ceil(D / 64), passages)
    norms: npt.NDArray[np.float32]  # (passages,)
    center: npt.NDArray[np.float32]  # (D,)

    def __len__(self) -> int:
        return int(self.norms.shape[0])

    def fits(self, passages: int, dim: int) -> bool:
        """Whether the codes belong to a ``passages`` x ``dim`` matrix."""
        return (
            self.words.ndim == 2
            and self.words.shape == (_words(dim), passages)
            and self.words.dtype == np.uint64
            and self.norms.shape == (passages,)
            and self.norms.dtype == np.float32
            and self.center.shape == (dim,)
            and self.center.dtype == np.float32
        )

    def estimate(self, query: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Every passage's estimated cosine to the unit vector ``query``."""
        dim = len(self.center)
        bits = _signs(query[None, :] @ rotation(dim))[:, 0]
        words = np.asarray(self.words)  # a plain view: a memmap's indexing costs more
        hamming = np.bitwise_count(words[0] ^ bits[0]).astype(np.uint16)
        for j in range(1, len(bits)):
            hamming += np.bitwise_count(words[j] ^ bits[j])
        cosine = np.cos(np.pi * np.arange(dim + 1) / dim).astype(np.float32)
        estimate: npt.NDArray[np.float32] = np.take(cosine, hamming)
        estimate *= self.norms
        estimate += np.float32(query @ self.center)
        return estimate


def encode(matrix: npt.NDArray[np.float32]) -> DenseCodes:
    """The codes of a segment's unit vectors (one per row of ``matrix``)."""
    n, dim = matrix.shape
    center = (matrix.mean(axis=0, dtype=np.float64) if n else np.zeros(dim)).astype(np.float32)
    words = np.zeros((_words(dim), n), dtype=np.uint64)
    norms = np.zeros(n, dtype=np.float32)
    turn = rotation(dim)
    for start in range(0, n, ENCODE_ROWS):
        rows = np.asarray(matrix[start : start + ENCODE_ROWS], dtype=np.float32) - center
        norms[start : start + len(rows)] = np.linalg.norm(rows, axis=1)
        words[:, start : start + len(rows)] = _signs(rows @ turn)
    return DenseCodes(words, norms, center)


@functools.cache
def rotation(dim: int) -> npt.NDArray[np.float32]:
    """A fixed random ``dim`` x ``dim`` rotation (orthogonal), the same in every process."""
    gaussian = np.random.default_rng(ROTATION_SEED).standard_normal((dim, dim))
    q, r = np.linalg.qr(gaussian)
    turn: npt.NDArray[np.float32] = (q * np.sign(np.diag(r))).astype(np.float32)
    return turn


def _signs(rotated: npt.NDArray[np.float32]) -> npt.NDArray[np.uint64]:
    """Rows' signs packed into 64-bit words, column-major: shape (words, rows)."""
    n, dim = rotated.shape
    packed = np.packbits(rotated > 0, axis=1)
    padded = np.zeros((n, _words(dim) * _WORD // 8), dtype=np.uint8)
    padded[:, : packed.shape[1]] = packed
    return np.ascontiguousarray(padded.view(np.uint64).T)


def _words(dim: int) -> int:
    return -(-dim // _WORD)
