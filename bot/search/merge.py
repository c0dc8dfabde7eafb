"""Joining segments into one, without their masked articles.

Nothing is read or tokenized again: the live rows of each segment's postings,
lengths, texts and vectors are fed to a ``SegmentWriter`` as chunks, a slice of
articles at a time, and the surface-word counts are added up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from bot.search.chunks import Chunk
from bot.search.parts import Deletions
from bot.search.segment import Segment
from bot.search.writer import SegmentWriter

#: Articles per chunk fed to the writer: bounds the texts held at once.
MERGE_ARTICLES = 5_000


def merge_segments(pairs: Sequence[tuple[Segment, Deletions]], directory: Path | None) -> Segment:
    """One segment holding the live articles of ``pairs``, in order."""
    writer = SegmentWriter(directory)
    words: Counter[str] = Counter()
    dense = all(segment.dense is not None for segment, _ in pairs)
    for segment, deletions in pairs:
        for chunk in _chunks(segment, deletions, dense=dense):
            writer.add(chunk)
        words.update(segment.words())
        words.subtract(deletions.words)
    writer.set_words({w: n for w, n in words.items() if n > 0})
    return writer.finish(dense=dense)


def _chunks(segment: Segment, deletions: Deletions, *, dense: bool) -> Iterator[Chunk]:
    from scipy.sparse import csc_matrix

    postings = segment.postings
    shape = (segment.passage_count, len(postings.terms))
    by_passage = csc_matrix((postings.tfs, postings.docs, postings.ptr), shape=shape).tocsr()
    live = np.ones(len(segment.refs), dtype=bool)
    live[list(deletions.articles)] = False
    terms = tuple(postings.terms)  # one object for every chunk: the writer maps it once
    for first in range(0, len(segment.refs), MERGE_ARTICLES):
        end = min(first + MERGE_ARTICLES, len(segment.refs))
        articles = [a for a in range(first, end) if live[a]]
        if not articles:
            continue
        rows = np.concatenate([np.arange(*segment.span(a)) for a in articles])
        part = by_passage[rows]
        kept = [segment.row(a) for a in articles]
        yield Chunk(
            refs=tuple(ref for ref, _ in kept),
            files=tuple(file for _, file in kept),
            passage_counts=np.diff(segment.starts)[articles].astype(np.int32),
            headings=tuple(
                segment.headings[h] if h >= 0 else None for h in segment.heading_of[rows].tolist()
            ),
            texts=tuple(segment.texts[int(p)] for p in rows),
            terms=terms,
            indptr=part.indptr.astype(np.int64),
            indices=part.indices.astype(np.int32),
            tfs=part.data.astype(np.uint16),
            lengths=segment.lengths[rows].astype(np.int32),
            words={},
            dense=np.asarray(segment.dense)[rows] if dense and segment.dense is not None else None,
        )
