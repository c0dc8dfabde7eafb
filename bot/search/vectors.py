"""The segments' dense passage vectors seen as one matrix."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from bot.search.parts import Parts


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
        pieces = []
        for part in self._parts.items:
            matrix = part.segment.dense
            assert matrix is not None
            sims = matrix @ q
            pieces.append(sims if part.live_passages is None else sims[part.passages])
        return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)

    def estimates(self, query: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Every live passage's cosine to the unit vector ``query``, estimated from the
        segments' sign codes (``bot.search.codes``): about 40x less memory read than
        ``similarities``, to choose the passages whose cosine is worth computing."""
        q = query.astype(np.float32)
        pieces = []
        for part in self._parts.items:
            codes = part.segment.codes
            assert codes is not None
            estimates = codes.estimate(q)
            pieces.append(estimates if part.live_passages is None else estimates[part.passages])
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
                matrix = part.segment.dense
                assert matrix is not None
                rows = np.take(np.asarray(matrix), part.passages[mine - part.base], axis=0)
                pieces.append(rows @ q)
        return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)

    def rows(self, start: int, end: int) -> npt.NDArray[np.float32]:
        """The vectors of live passages ``start`` to ``end``, which one article's passages
        are (so they lie in one segment)."""
        if end <= start:
            return np.zeros((0, 0), dtype=np.float32)
        part, _ = self._parts.of_passage(start)
        matrix = part.segment.dense
        assert matrix is not None
        local = part.passages[start - part.base : end - part.base]
        return np.asarray(matrix[local])

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
