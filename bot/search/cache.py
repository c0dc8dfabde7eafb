"""The on-disk index cache: reused while the corpus files are unchanged.

A cache is keyed by the corpus path and engine, and carries a fingerprint of
every corpus file's path, size and modification time. Any difference, or another
format version, means a rebuild. So does damage: its manifest records a checksum
of every file (``bot.search.integrity``), and a file that is missing, differs or
cannot be read makes the cache ``CacheDamaged``. A cache is never trusted, only
verified.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import mmap
import os
import shutil
import uuid
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from bot import __version__
from bot.logs import log_failure
from bot.models import ArticleRef, CorpusWarning
from bot.search import integrity
from bot.search.dense import DenseVectors
from bot.search.engines import DELTA, K1, METHOD, B, engine_class
from bot.search.index import PassageTable, SearchIndex
from bot.search.jsonfile import read_json, write_json
from bot.search.passages import PASSAGE_WORDS
from bot.text.tokenize import Tokenizer

log = logging.getLogger(__name__)

FORMAT = 3  # 2: dense vectors and the surface-word vocabulary; 3: file checksums

#: What a cache that passed its checks can still throw while being read (a file
#: replaced since): each means the cache is damaged, never that teambot stops.
_READ_ERRORS = (OSError, EOFError, ValueError, KeyError, TypeError, IndexError, AttributeError)


class CacheMiss(Exception):
    """The cache is absent, stale or damaged."""


class CacheDamaged(CacheMiss):
    """The cache is unreadable, or differs from what was written: worth a warning."""


def fingerprint(root: Path, files: Sequence[Path]) -> str:
    """A hash of each corpus file's path, size and modification time."""
    digest = hashlib.sha256(str(root.resolve()).encode())
    for path in files:
        try:
            st = path.stat()
            digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{path}\0missing\n".encode())
    return digest.hexdigest()


@functools.cache
def code_digest() -> str:
    """A hash of the core's source, so that any change to parsing or indexing rebuilds."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_dir(data_dir: Path, root: Path, engine: str) -> Path:
    """Where the index of corpus ``root`` built by ``engine`` lives."""
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return data_dir / "index" / f"{key}-{engine}"


def expected_manifest(engine: str, corpus_fingerprint: str, dense: str = "off") -> dict[str, Any]:
    """The manifest fields a usable cache must match exactly (``dense``: the
    static embedding model's identity, or ``off``)."""
    return {
        "dense": dense,
        "format": FORMAT,
        "teambot": __version__,
        "code": code_digest(),
        "engine": engine,
        "fingerprint": corpus_fingerprint,
        "passage_words": PASSAGE_WORDS,
        "method": METHOD,
        "k1": K1,
        "b": B,
        "delta": DELTA,
    }


def save_index(
    index: SearchIndex,
    directory: Path,
    manifest: dict[str, Any],
    warnings: Sequence[CorpusWarning],
) -> None:
    """Writes ``index`` to ``directory`` atomically (a reader sees old or new, never half)."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = directory.with_name(f"{directory.name}.tmp-{uuid.uuid4().hex[:8]}")
    tmp.mkdir()
    try:
        _write(index, tmp, manifest, warnings)
        old = directory.with_name(f"{directory.name}.old-{uuid.uuid4().hex[:8]}")
        if directory.exists():
            os.replace(directory, old)
        os.replace(tmp, directory)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def load_index(
    directory: Path, expected: dict[str, Any], tokenizer: Tokenizer
) -> tuple[SearchIndex, tuple[CorpusWarning, ...]]:
    """Loads a verified cache.

    Raises:
        CacheDamaged: a file is missing, unreadable or not as written; the message
            names it.
        CacheMiss: absent, stale or from another version.
    """
    path = directory / integrity.MANIFEST
    if not path.is_file():
        raise CacheMiss("no cache yet")
    try:
        manifest = read_json(path, dict)
    except (OSError, ValueError) as exc:
        raise CacheDamaged(f"{path.name} is unreadable ({exc.__class__.__name__}: {exc})") from exc
    try:
        if "checksum" not in manifest:  # written before checksums: another format
            raise CacheMiss("changed: format")
        integrity.check_seal(manifest)
        stale = {k for k, v in expected.items() if manifest.get(k) != v}
        if stale:
            raise CacheMiss(f"changed: {', '.join(sorted(stale))}")
        integrity.verify(directory, manifest)
        return _read(directory, manifest, tokenizer)
    except CacheMiss:
        raise
    except integrity.Damaged as exc:
        raise CacheDamaged(str(exc)) from exc
    except _READ_ERRORS as exc:
        raise CacheDamaged(f"unreadable: {exc.__class__.__name__}: {exc}") from exc


def _write(
    index: SearchIndex, tmp: Path, manifest: dict[str, Any], warnings: Sequence[CorpusWarning]
) -> None:
    table = index.passages
    encoded = [t.encode("utf-8") for t in table.texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    with open(tmp / "texts.bin", "wb") as fh:
        for chunk in encoded:
            fh.write(chunk)
    np.save(tmp / "offsets.npy", offsets)
    np.save(tmp / "article_of.npy", table.article_of)
    np.save(tmp / "heading_of.npy", table.heading_of)
    meta = {
        "articles": [_ref_to_json(a) for a in index.articles],
        "headings": list(table.headings),
        "doc_freq": index.doc_freq,
    }
    write_json(tmp / "meta.json", meta)
    write_json(tmp / "words.json", index.words)
    if index.dense is not None:
        np.save(tmp / "dense.npy", index.dense.matrix)
    engine_dir = tmp / "engine"
    engine_dir.mkdir()
    index.engine.save(engine_dir)
    full = {
        **manifest,
        "passages": len(table),
        "warnings": [[w.path, w.message] for w in warnings],
        "files": integrity.file_checksums(tmp),
    }
    sealed = integrity.seal(full)
    write_json(tmp / integrity.MANIFEST, sealed)  # last: a directory without it is no cache
    integrity.record_checked(tmp, sealed)


def _read(
    directory: Path, manifest: dict[str, Any], tokenizer: Tokenizer
) -> tuple[SearchIndex, tuple[CorpusWarning, ...]]:
    meta = read_json(directory / "meta.json", dict)
    articles = [_ref_from_json(a) for a in meta["articles"]]
    offsets = np.load(directory / "offsets.npy", allow_pickle=False)
    article_of = np.load(directory / "article_of.npy", allow_pickle=False)
    heading_of = np.load(directory / "heading_of.npy", allow_pickle=False)
    headings = tuple(str(h) for h in meta["headings"])
    n = int(manifest["passages"])
    texts = BlobTexts(directory / "texts.bin", offsets)
    consistent = (
        len(offsets) == n + 1
        and len(article_of) == n
        and len(heading_of) == n
        and (n == 0 or (0 <= int(article_of.min()) and int(article_of.max()) < len(articles)))
        and (n == 0 or int(heading_of.max()) < len(headings))
        and int(offsets[-1]) == texts.size
    )
    if not consistent:
        raise CacheMiss("inconsistent passage tables")
    engine = engine_class(str(manifest["engine"])).load(directory / "engine")
    if len(engine.scores(["\0probe"])) != n:
        raise CacheMiss("engine does not match the passages")
    table = PassageTable(article_of.astype(np.int32), heading_of.astype(np.int32), headings, texts)
    doc_freq = {str(k): int(v) for k, v in meta["doc_freq"].items()}
    warnings = tuple(CorpusWarning(str(p), str(m)) for p, m in manifest.get("warnings", []))
    dense = _read_dense(directory, str(manifest["dense"]), n)
    words_file = directory / "words.json"
    if not words_file.is_file():
        raise CacheMiss("no vocabulary")

    def words() -> dict[str, int]:
        try:
            return {str(k): int(v) for k, v in read_json(words_file, dict).items()}
        except (OSError, ValueError, TypeError) as exc:
            log_failure(
                log, logging.WARNING, "cannot read the cached vocabulary; spelling is off", exc=exc
            )
            return {}

    index = SearchIndex(articles, table, engine, doc_freq, tokenizer, dense=dense, words=words)
    return index, warnings


def _read_dense(directory: Path, ident: str, n: int) -> DenseVectors | None:
    if ident == "off":
        return None
    matrix = np.load(directory / "dense.npy", mmap_mode="r", allow_pickle=False)
    if matrix.ndim != 2 or matrix.shape[0] != n or matrix.dtype != np.float32:
        raise CacheMiss("dense vectors do not match the passages")
    return DenseVectors(matrix, ident)


class BlobTexts(Sequence[str]):
    """Passage texts read lazily from one memory-mapped UTF-8 file."""

    def __init__(self, path: Path, offsets: npt.NDArray[np.int64]) -> None:
        self._offsets = offsets
        with open(path, "rb") as fh:
            self.size = os.fstat(fh.fileno()).st_size
            self._data: bytes | mmap.mmap = (
                mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if self.size else b""
            )

    def __len__(self) -> int:
        return len(self._offsets) - 1

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        i %= len(self)
        start, end = int(self._offsets[i]), int(self._offsets[i + 1])
        return self._data[start:end].decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))


def _ref_to_json(ref: ArticleRef) -> dict[str, str | bool | None]:
    published = ref.published.isoformat() if ref.published else None
    return {
        "id": ref.article_id,
        "title": ref.title,
        "url": ref.url,
        "source": ref.source,
        "published": published,
        "generated_title": ref.generated_title,
    }


def _ref_from_json(obj: dict[str, Any]) -> ArticleRef:
    published = obj.get("published")
    return ArticleRef(
        article_id=str(obj["id"]),
        title=str(obj["title"]),
        url=obj.get("url"),
        source=obj.get("source"),
        published=date.fromisoformat(published) if published else None,
        generated_title=bool(obj.get("generated_title", False)),
    )
