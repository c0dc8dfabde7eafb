"""Assembling chunks into one segment: one vocabulary, term-major postings."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from bot.models import ArticleRef, CorpusWarning
from bot.search.chunks import Chunk
from bot.search.codes import encode
from bot.search.segment import BlobTexts, Postings, RefTable, Segment, ref_to_json
from bot.text.tokenize import surface_words


class SegmentWriter:
    """Takes chunks in order and makes one ``Segment`` of them.

    An article id already taken (in this segment, or in ``taken``: the other
    segments of the index) is skipped with a warning, so the first file in
    corpus order keeps it, as a load from scratch would.

    Args:
        directory: where to stream the passage texts and article rows (a build of
            200,000 articles would otherwise hold them all in memory); ``None``
            keeps them in memory.
        taken: article ids the index already holds, with the file holding each.
    """

    def __init__(self, directory: Path | None = None, taken: dict[str, str] | None = None) -> None:
        self._vocab: dict[str, int] = {}
        self._ids: dict[str, str] = {}
        self._taken = taken or {}
        self._refs: list[ArticleRef] = []
        self._files: list[str] = []
        self._article_of: list[npt.NDArray[np.int32]] = []
        self._heading_ids: dict[str, int] = {}
        self._heading_of: list[npt.NDArray[np.int32]] = []
        self._row_lengths: list[npt.NDArray[np.int64]] = []
        self._indices: list[npt.NDArray[np.int32]] = []
        self._tfs: list[npt.NDArray[np.uint16]] = []
        self._lengths: list[npt.NDArray[np.int32]] = []
        self._dense: list[npt.NDArray[np.float32]] = []
        self._words: Counter[str] = Counter()
        self._last_terms: tuple[tuple[str, ...], npt.NDArray[np.int32]] | None = None
        self._directory = directory
        self._texts = _TextSink(directory / "texts.bin" if directory else None)
        self._rows = _TextSink(directory / "refs.jsonl" if directory else None)

    @property
    def articles(self) -> int:
        return len(self._refs)

    def add(self, chunk: Chunk) -> list[CorpusWarning]:
        """Appends the chunk's articles; returns a warning for each duplicate id skipped."""
        warnings: list[CorpusWarning] = []
        keep = np.ones(len(chunk.refs), dtype=bool)
        for a, (ref, file) in enumerate(zip(chunk.refs, chunk.files, strict=True)):
            other = self._ids.get(ref.article_id, self._taken.get(ref.article_id))
            if other is not None:
                message = f"duplicate article id {ref.article_id!r} (also in {other}); skipped"
                warnings.append(CorpusWarning(file, message))
                keep[a] = False
                continue
            self._ids[ref.article_id] = file
        passages = np.repeat(keep, chunk.passage_counts)
        words = chunk.words if keep.all() else _kept_words(chunk, keep, passages)
        self._append(chunk, keep, passages, words)
        return warnings

    def set_words(self, words: dict[str, int]) -> None:
        """Replaces the surface-word counts (a merge adds up its segments' instead)."""
        self._words = Counter(words)

    def _lookup(self, terms: tuple[str, ...]) -> npt.NDArray[np.int32]:
        """The segment's term ids of a chunk's terms (a merge passes one segment's
        vocabulary with every chunk: it is mapped once)."""
        if self._last_terms is not None and self._last_terms[0] is terms:
            return self._last_terms[1]
        vocab = self._vocab
        ids = list(map(vocab.get, terms))  # in C: most of a chunk's terms are known
        for j, known in enumerate(ids):
            if known is None:
                ids[j] = vocab.setdefault(terms[j], len(vocab))
        lookup = np.asarray(ids, dtype=np.int32)
        self._last_terms = (terms, lookup)
        return lookup

    def _append(
        self,
        chunk: Chunk,
        keep: npt.NDArray[np.bool_],
        passages: npt.NDArray[np.bool_],
        words: dict[str, int],
    ) -> None:
        first = len(self._refs)
        for a in np.flatnonzero(keep):
            ref, file = chunk.refs[a], chunk.files[a]
            self._refs.append(ref)
            self._files.append(file)
            if self._directory is not None:
                self._rows.append(json.dumps(ref_to_json(ref, file), ensure_ascii=False))
        counts = chunk.passage_counts[keep]
        self._article_of.append(
            np.repeat(np.arange(first, first + len(counts), dtype=np.int32), counts)
        )
        kept = np.flatnonzero(passages)
        heading_of = np.empty(len(kept), dtype=np.int32)
        for j, p in enumerate(kept):
            heading = chunk.headings[p]
            heading_of[j] = (
                self._heading_ids.setdefault(heading, len(self._heading_ids)) if heading else -1
            )
            self._texts.append(chunk.texts[p])
        self._heading_of.append(heading_of)
        lookup = self._lookup(chunk.terms)
        row_lengths = np.diff(chunk.indptr)
        entries = np.repeat(passages, row_lengths)
        self._row_lengths.append(row_lengths[passages])
        self._indices.append(lookup[chunk.indices[entries]] if len(lookup) else chunk.indices[:0])
        self._tfs.append(chunk.tfs[entries])
        self._lengths.append(chunk.lengths[passages])
        if chunk.dense is not None and passages.any():  # an empty chunk's matrix is (0, 1)
            self._dense.append(chunk.dense[passages])
        self._words.update(words)

    def finish(self, *, dense: bool) -> Segment:
        """The segment of every article added (``dense``: the chunks carried vectors)."""
        from scipy.sparse import csr_matrix  # only a build pays for importing scipy

        row_lengths = _concat(self._row_lengths, np.int64)
        indptr = np.zeros(len(row_lengths) + 1, dtype=np.int64)
        np.cumsum(row_lengths, out=indptr[1:])
        indices = _concat(self._indices, np.int32)
        tfs = _concat(self._tfs, np.uint16)
        self._indices, self._tfs = [], []
        passages, terms = len(row_lengths), len(self._vocab)
        by_term: Any = csr_matrix((tfs, indices, indptr), shape=(passages, terms)).tocsc()
        del indices, tfs
        postings = Postings(
            terms=tuple(self._vocab),
            vocab=self._vocab,
            ptr=by_term.indptr.astype(np.int64),
            docs=by_term.indices.astype(np.int32),
            tfs=by_term.data.astype(np.uint16),
        )
        del by_term
        vectors = _concat(self._dense, np.float32) if dense and self._dense else None
        if dense and vectors is None:
            vectors = np.zeros((0, 1), dtype=np.float32)
        words = dict(self._words)
        dense_matrix = np.ascontiguousarray(vectors) if vectors is not None else None
        return Segment(
            refs=self._rows.table() or tuple(self._refs),
            files=tuple(self._files),
            article_of=_concat(self._article_of, np.int32),
            heading_of=_concat(self._heading_of, np.int32),
            headings=tuple(self._heading_ids),
            texts=self._texts.sequence(),
            lengths=_concat(self._lengths, np.int32),
            postings=postings,
            dense=dense_matrix,
            words=lambda: words,
            codes=encode(dense_matrix) if dense_matrix is not None else None,
        )


class _TextSink:
    """Strings kept in memory, or streamed to a blob file with their offsets."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._items: list[str] = []
        self._offsets: list[int] = [0]
        self._file: BinaryIO | None = open(path, "wb") if path else None  # noqa: SIM115

    def append(self, text: str) -> None:
        if self._file is None:
            self._items.append(text)
            return
        data = text.encode("utf-8")
        self._file.write(data)
        self._offsets.append(self._offsets[-1] + len(data))

    def sequence(self) -> Sequence[str]:
        if self._file is None or self._path is None:
            return tuple(self._items)
        self._file.close()
        offsets = np.asarray(self._offsets, dtype=np.int64)
        np.save(self._path.with_suffix(".offsets.npy"), offsets)
        return BlobTexts(self._path, offsets)

    def table(self) -> RefTable | None:
        if self._file is None:
            return None
        texts = self.sequence()
        assert isinstance(texts, BlobTexts)
        return RefTable(texts)


def _kept_words(
    chunk: Chunk, keep: npt.NDArray[np.bool_], passages: npt.NDArray[np.bool_]
) -> dict[str, int]:
    """The chunk's word counts without its skipped articles' words."""
    words = Counter(chunk.words)
    for a in np.flatnonzero(~keep):
        words.subtract(surface_words(chunk.refs[a].title))
    for p in np.flatnonzero(~passages):
        words.subtract(surface_words(chunk.texts[p]))
    return {w: n for w, n in words.items() if n > 0}


def _concat(parts: Sequence[npt.NDArray[Any]], dtype: type) -> npt.NDArray[Any]:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype=dtype)
