"""The segments' dense passage vectors seen as one matrix."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from bot.search.codes import DenseCodes
from bot.search.parts import Parts
from bot.search.segment import Segment


class DenseView:
    """One unit vector per live passage, across segments, from the model ``ident`` names."""

    def __init__(self, parts: Parts, ident: str) -> None:
        self._parts = parts
        self.ident = ident

    def __len__(self) -> int:
        return self._parts.passage_count

    def similarities(self, query: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Cosine similarity of every live passage to the unit vector ``query``."""
        q = query.astype(np.float32)
        return self._live(lambda segment: _matrix(segment) @ q)

    def estimates(self, query: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Every live passage's cosine to the unit vector ``query``, estimated from the
        segments' sign codes (``bot.search.codes``): about 40x less memory read than
        ``similarities``, to choose the passages whose cosine is worth computing."""
        q = query.astype(np.float32)
        return self._live(lambda segment: _codes(segment).estimate(q))

    def _live(
        self, per_segment: Callable[[Segment], npt.NDArray[np.float32]]
    ) -> npt.NDArray[np.float32]:
        """``per_segment``'s score for every passage of each segment, kept for the
        live passages only, in live-passage order."""
        pieces = []
        for part in self._parts.items:
            scores = per_segment(part.segment)
            pieces.append(scores if part.live_passages is None else scores[part.passages])
        return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)

    def similarities_of(
        self, query: npt.NDArray[np.float32], positions: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float32]:
        """The exact cosines of live passages ``positions`` (ascending) to ``query``."""
        q = query.astype(np.float32)
        bases = self._parts.passage_bases
        cuts = np.searchsorted(positions, bases)
        pieces = []
        for k, part in enumerate(self._parts.items):
            mine = positions[cuts[k] : cuts[k + 1]]
            if len(mine):
                matrix = np.asarray(_matrix(part.segment))
                rows = np.take(matrix, part.passages[mine - part.base], axis=0)
                pieces.append(rows @ q)
        return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)

    def rows(self, start: int, end: int) -> npt.NDArray[np.float32]:
        """The vectors of live passages ``start`` to ``end``, which one article's passages
        are (so they lie in one segment)."""
        if end <= start:
            return np.zeros((0, 0), dtype=np.float32)
        part, _ = self._parts.of_passage(start)
        local = part.passages[start - part.base : end - part.base]
        return np.asarray(_matrix(part.segment)[local])

    @property
    def matrix(self) -> npt.NDArray[np.float32]:
        """Every live passage's vector, copied into one matrix (for tests and tools)."""
        return (
            self.rows(0, 0)
            if not len(self)
            else np.concatenate(
                [
                    np.asarray(p.segment.dense)[p.passages]
                    for p in self._parts.items
                    if len(p.passages)
                ]
            )
        )


def _matrix(segment: Segment) -> npt.NDArray[np.float32]:
    assert segment.dense is not None  # a dense view is made only over dense segments
    return segment.dense


def _codes(segment: Segment) -> DenseCodes:
    assert segment.codes is not None  # written with the vectors
    return segment.codes
