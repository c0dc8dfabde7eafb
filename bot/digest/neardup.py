"""Copies and light rewrites of one report, found by MinHash over word shingles.

Two reports are near-duplicates when most of their word 3-grams are shared
(Jaccard similarity of the shingle sets); MinHash signatures estimate it and
locality-sensitive hashing finds the candidate pairs without comparing every
pair, so the cost grows with the number of articles, not its square.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from bot.text.overlap import jaccard

#: Word n-grams compared: 3 words keep a one-word change from touching more
#: than three shingles, yet rarely match between independent reports.
SHINGLE_WORDS = 3
#: Words of an article read: copies share their opening; a long article's tail
#: adds cost, not evidence.
SHINGLE_SPAN = 400
#: Signature length and its split into LSH bands of rows: 16 bands of 4 rows find
#: a pair at Jaccard 0.5 with probability 1-(1-0.5**4)**16 = 0.64 and at 0.7 with 0.99.
BANDS, ROWS = 16, 4
#: Jaccard similarity at which two reports are one report: a copy that differs
#: by a name, a dateline or a sentence scores above 0.7, independent reports
#: on one event below 0.2 (measured by ``bench/stories.py``).
SAME_REPORT = 0.6
#: Copies of one report appear within days of each other (syndication, reposts);
#: the same template weeks apart (a weekly figure, a recurring notice) is a new event.
COPY_DAYS = 3.0

_WORD = re.compile(r"\w+")
# Multiply-shift hashing, one (odd multiplier, offset) per signature row; the
# arithmetic wraps modulo 2**64 by design. The seed only fixes the family.
_FAMILY = np.random.default_rng(20260214).integers(
    0, np.iinfo(np.uint64).max, size=(2, BANDS * ROWS), dtype=np.uint64, endpoint=True
)
_MULTIPLIERS = _FAMILY[0] | np.uint64(1)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, odd: spreads small word numbers
_OFFSETS = _FAMILY[1]


def near_duplicate_groups(
    texts: Sequence[str], days_apart: Callable[[int, int], float] = lambda i, j: 0.0
) -> list[list[int]]:
    """Groups of positions whose texts are near-duplicates published within
    ``COPY_DAYS`` of each other; every position is in one group."""
    vocabulary: dict[str, int] = {}
    shingles = [_shingles(t, vocabulary) for t in texts]
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in _candidates([_signature(s) for s in shingles]):
        a, b = shingles[i], shingles[j]
        if jaccard(a, b) >= SAME_REPORT and days_apart(i, j) <= COPY_DAYS:
            parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _shingles(text: str, vocabulary: dict[str, int]) -> set[int]:
    """The text's word 3-grams as numbers (words numbered in order of first use)."""
    words = _WORD.findall(text.lower())[:SHINGLE_SPAN]
    if len(words) < SHINGLE_WORDS:
        return set()
    ids = np.fromiter(
        (vocabulary.setdefault(w, len(vocabulary)) for w in words),
        dtype=np.uint64,
        count=len(words),
    )
    # Mixing each word into the running code with a large odd multiplier keeps distinct
    # 3-grams distinct in practice; the arithmetic wraps modulo 2**64 by design.
    codes = np.zeros(len(ids) - SHINGLE_WORDS + 1, dtype=np.uint64)
    for k in range(SHINGLE_WORDS):
        codes = codes * _MIX + ids[k : k + len(codes)]
    return set(codes.tolist())


def _signature(shingles: set[int]) -> npt.NDArray[np.uint64] | None:
    """Each row's minimum hash over the set: the chance two sets share a row's
    minimum is their Jaccard similarity."""
    if not shingles:
        return None
    values = np.fromiter(shingles, dtype=np.uint64, count=len(shingles))
    hashed = (values[:, None] * _MULTIPLIERS + _OFFSETS) >> np.uint64(32)
    return np.asarray(hashed.min(axis=0), dtype=np.uint64)


def _candidates(signatures: list[npt.NDArray[np.uint64] | None]) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    for band in range(BANDS):
        buckets: dict[bytes, list[int]] = {}
        for i, signature in enumerate(signatures):
            if signature is not None:
                key = signature[band * ROWS : (band + 1) * ROWS].tobytes()
                buckets.setdefault(key, []).append(i)
        for members in buckets.values():
            first = members[0]
            # Linking each member to the bucket's first is enough for the union:
            # a bucket of 120 copies costs 119 checks, not 7,140.
            pairs.update((first, other) for other in members[1:])
    return pairs
