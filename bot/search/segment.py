"""One segment of the index: a fixed set of articles, their passages and postings.

A segment is written once and never changed (Lucene's design in miniature): new
and changed files go into a new segment, and an article that is deleted or
replaced is masked by a deletion record kept beside the segments (see
``bot.search.view``). Postings hold raw term frequencies, not scores, so BM25's
corpus-wide statistics (passage count, average length, document frequencies) are
applied at query time over all segments together, and a set of segments scores
exactly as one segment built from scratch over the same articles.
"""

from __future__ import annotations

import json
import mmap
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar, overload

import numpy as np
import numpy.typing as npt

from bot.models import ArticleRef
from bot.search.codes import DenseCodes

#: Term frequencies are stored in 16 bits: a passage is about 100 words
#: (``PASSAGE_WORDS``), so a count this high only comes from one runaway sentence,
#: where BM25's saturation makes the exact count irrelevant. Clipped the same way
#: in every segment, so scores still match a fresh build.
MAX_TF = np.iinfo(np.uint16).max

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Postings:
    """Term-major postings: for each term, the passages holding it and how often.

    ``docs[ptr[t]:ptr[t + 1]]`` are the passages (ascending) that hold term ``t``
    and ``tfs`` the matching counts.
    """

    terms: Sequence[str]
    vocab: dict[str, int]
    ptr: npt.NDArray[np.int64]
    docs: npt.NDArray[np.int32]
    tfs: npt.NDArray[np.uint16]

    def column(self, term: str) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.uint16]] | None:
        """The passages holding ``term`` and its counts there; ``None`` when none does."""
        t = self.vocab.get(term)
        if t is None:
            return None
        start, end = int(self.ptr[t]), int(self.ptr[t + 1])
        return self.docs[start:end], self.tfs[start:end]

    def df(self, term: str) -> int:
        """How many of the segment's passages hold ``term`` (deleted ones included)."""
        t = self.vocab.get(term)
        return 0 if t is None else int(self.ptr[t + 1] - self.ptr[t])


@dataclass(frozen=True, slots=True)
class Catalog:
    """A segment's article ids, and its articles by source file."""

    ids: tuple[str, ...]
    by_file: dict[str, list[int]]


class Segment:
    """A fixed set of articles with their passages, postings and vectors.

    Args:
        refs: the articles, in order.
        files: for each article, the corpus file it came from (relative to the root).
        article_of: each passage's article (ascending: an article's passages are one run).
        heading_of: each passage's heading in ``headings``; -1 for none.
        headings: the headings.
        texts: the passage texts.
        lengths: each passage's number of index terms (BM25's document length).
        postings: the term-major postings.
        dense: one unit vector per passage, or ``None`` when no embedding model is on.
        codes: the vectors' sign codes (``bot.search.codes``), with ``dense``.
        words: reads the segment's surface words and their counts (for spelling).
    """

    def __init__(
        self,
        refs: Sequence[ArticleRef],
        files: Sequence[str],
        article_of: npt.NDArray[np.int32],
        heading_of: npt.NDArray[np.int32],
        headings: Sequence[str],
        texts: Sequence[str],
        lengths: npt.NDArray[np.int32],
        postings: Postings,
        dense: npt.NDArray[np.float32] | None,
        words: Callable[[], dict[str, int]],
        codes: DenseCodes | None = None,
    ) -> None:
        self.refs = refs
        self.files = files
        self.article_of = article_of
        self.heading_of = heading_of
        self.headings = tuple(headings)
        self.texts = texts
        self.lengths = lengths
        self.postings = postings
        self.dense = dense
        self.codes = codes
        self.words = words
        self.starts = np.searchsorted(article_of, np.arange(len(refs) + 1)).astype(np.int64)
        self.total_length = int(lengths.sum(dtype=np.int64))
        self._catalog: Catalog | None = None

    @property
    def passage_count(self) -> int:
        return len(self.article_of)

    def catalog(self) -> Catalog:
        """Each article's id, and the articles of each source file (read once: a
        segment never changes)."""
        if self._catalog is None:
            ids: list[str] = []
            by_file: dict[str, list[int]] = {}
            for a in range(len(self.refs)):
                ref, file = self.row(a)
                ids.append(ref.article_id)
                by_file.setdefault(file, []).append(a)
            self._catalog = Catalog(tuple(ids), by_file)
        return self._catalog

    def row(self, a: int) -> tuple[ArticleRef, str]:
        """Article ``a`` and its source file (one decoding of a stored row)."""
        if isinstance(self.refs, RefTable):
            return self.refs.row(a)
        return self.refs[a], self.files[a]

    def span(self, a: int) -> tuple[int, int]:
        """The passages ``start`` (inclusive) to ``end`` of article ``a``."""
        return int(self.starts[a]), int(self.starts[a + 1])


class LazySequence(Sequence[T]):
    """A read-only sequence whose items are made on demand by ``_get``."""

    def __len__(self) -> int:
        raise NotImplementedError

    def _get(self, i: int) -> T:
        """Item ``i``, with ``0 <= i < len(self)``."""
        raise NotImplementedError

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[T]: ...
    def __getitem__(self, i: int | slice) -> T | Sequence[T]:
        if isinstance(i, slice):
            return [self._get(j) for j in range(*i.indices(len(self)))]
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return self._get(i % len(self))

    def __iter__(self) -> Iterator[T]:
        return (self._get(i) for i in range(len(self)))


class BlobTexts(LazySequence[str]):
    """Strings read lazily from one memory-mapped UTF-8 file and their offsets."""

    def __init__(self, path: Path, offsets: npt.NDArray[np.int64]) -> None:
        self._offsets = offsets
        with open(path, "rb") as fh:
            self.size = os.fstat(fh.fileno()).st_size
            self._data: bytes | mmap.mmap = (
                mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if self.size else b""
            )

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def _get(self, i: int) -> str:
        start, end = int(self._offsets[i]), int(self._offsets[i + 1])
        return self._data[start:end].decode("utf-8")


def ref_to_json(ref: ArticleRef, file: str) -> list[Any]:
    """An article's citation fields and source file as one compact JSON array."""
    published = ref.published.isoformat() if ref.published else None
    return [ref.article_id, ref.title, ref.url, ref.source, published, ref.generated_title, file]


def ref_from_json(row: list[Any]) -> tuple[ArticleRef, str]:
    """The inverse of ``ref_to_json``.

    Raises:
        ValueError, TypeError, IndexError: a malformed row.
    """
    article_id, title, url, source, published, generated, file = row
    ref = ArticleRef(
        article_id=str(article_id),
        title=str(title),
        url=url,
        source=source,
        published=date.fromisoformat(published) if published else None,
        generated_title=bool(generated),
    )
    return ref, str(file)


class RefTable(LazySequence[ArticleRef]):
    """Article references decoded lazily, one JSON line each, from a ``BlobTexts``.

    A one-shot question cites a handful of a 200,000-article corpus: decoding them
    all at start would cost more than answering.
    """

    def __init__(self, rows: BlobTexts) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def row(self, i: int) -> tuple[ArticleRef, str]:
        return ref_from_json(json.loads(self._rows[i]))

    def _get(self, i: int) -> ArticleRef:
        return self.row(i)[0]


class FileColumn(LazySequence[str]):
    """The source-file column of a ``RefTable``."""

    def __init__(self, table: RefTable) -> None:
        self._table = table

    def __len__(self) -> int:
        return len(self._table)

    def _get(self, i: int) -> str:
        return self._table.row(i)[1]
