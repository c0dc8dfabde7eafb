"""Dense passage vectors: the semantic half of hybrid retrieval."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.embed.models import Embedder

#: Passages embedded per call while indexing: bounds the memory of one batch.
EMBED_CHUNK = 4096


@dataclass(frozen=True, slots=True)
class DenseVectors:
    """One unit-length vector per passage, from the model ``ident`` names."""

    matrix: npt.NDArray[np.float32]
    ident: str

    def __len__(self) -> int:
        return int(self.matrix.shape[0])

    def similarities(self, query: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Cosine similarity of every passage to the unit vector ``query``."""
        return self.matrix @ query.astype(np.float32)


def top_k(
    scores: npt.NDArray[np.floating[Any]],
    k: int,
    positions: npt.NDArray[np.int64] | None = None,
) -> list[int]:
    """The indices of the ``k`` highest ``scores``, best first; ties go to the lower
    index, or to the lower passage ``positions[i]`` when the scores are of candidates."""
    k = min(k, len(scores))
    if k <= 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    order = positions if positions is not None else np.arange(len(scores))
    return sorted(top.tolist(), key=lambda i: (-float(scores[i]), int(order[i])))


#: ``best`` finds its threshold in every ``SAMPLE_STRIDE``-th score: a sixteenth of
#: the work of a selection over all of them (140,000 estimates: about 0.1 ms, not 1.4).
SAMPLE_STRIDE = 16
#: How many more scores than asked for the sample's threshold aims to keep: the
#: count above a sample quantile varies; with twice as many expected, falling short
#: (which costs a full selection, not a wrong result) is rare.
SAMPLE_MARGIN = 2


def best(scores: npt.NDArray[np.floating[Any]], count: int) -> npt.NDArray[np.int64]:
    """The indices of the ``count`` highest ``scores``, in no order (the set
    ``np.argpartition`` would give, found mostly in a sample)."""
    if count >= len(scores):
        return np.arange(len(scores), dtype=np.int64)
    sample = scores[::SAMPLE_STRIDE]
    keep = -(-SAMPLE_MARGIN * count // SAMPLE_STRIDE)
    if keep < len(sample):
        threshold = np.partition(sample, len(sample) - keep)[len(sample) - keep]
        above = np.flatnonzero(scores >= threshold)
        if len(above) >= count:  # so the count-th highest score is above it too
            if len(above) == count:
                return above
            return above[np.argpartition(-scores[above], count - 1)[:count]]
    return np.argpartition(-scores, count - 1)[:count].astype(np.int64)


def embed_passages(texts: Iterable[str], embedder: Embedder, ident: str) -> DenseVectors:
    """Embeds every passage text, in chunks."""
    chunks: list[npt.NDArray[np.float32]] = []
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) == EMBED_CHUNK:
            chunks.append(embedder.embed(batch))
            batch = []
    if batch:
        chunks.append(embedder.embed(batch))
    matrix = np.concatenate(chunks) if chunks else np.zeros((0, 1), dtype=np.float32)
    return DenseVectors(np.ascontiguousarray(matrix, dtype=np.float32), ident)


def passage_context(title: str, heading: str | None, text: str) -> str:
    """What a passage is embedded as: its article's title and heading give it a subject."""
    return "\n".join(part for part in (title, heading, text) if part)
