"""A segment on disk: numpy arrays, memory-mapped, and a sealed manifest.

Every file's size and SHA-256 is in the segment's manifest (``bot.search.integrity``),
so a damaged segment is found before it is used, never served.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from bot.search import integrity
from bot.search.codes import DenseCodes
from bot.search.jsonfile import read_json, write_json
from bot.search.segment import BlobTexts, FileColumn, Postings, RefTable, Segment, ref_to_json

#: The files whose arrays are loaded whole: small (one entry a passage) and needed
#: by every query; the rest are memory-mapped and paged in as touched.
_TEXTS, _REFS = "texts.bin", "refs.jsonl"
#: The dense vectors' sign codes (``bot.search.codes``), written with the vectors.
_CODE_WORDS, _CODE_NORMS, _CODE_CENTER = "codes.npy", "code_norms.npy", "code_center.npy"


class SegmentMismatch(ValueError):
    """The segment's files are sound but do not fit together."""


def save_segment(segment: Segment, directory: Path) -> None:
    """Writes ``segment`` into ``directory`` (created if missing), manifest last.

    The texts and article rows may already be there, streamed by the writer.
    """
    directory.mkdir(parents=True, exist_ok=True)
    if not isinstance(segment.texts, BlobTexts):
        _write_blob(directory / _TEXTS, segment.texts)
    if not isinstance(segment.refs, RefTable):
        rows = [
            json.dumps(ref_to_json(r, f), ensure_ascii=False)
            for r, f in zip(segment.refs, segment.files, strict=True)
        ]
        _write_blob(directory / _REFS, rows)
    np.save(directory / "article_of.npy", segment.article_of)
    np.save(directory / "heading_of.npy", segment.heading_of)
    np.save(directory / "lengths.npy", segment.lengths)
    write_json(directory / "headings.json", list(segment.headings))
    postings = segment.postings
    (directory / "terms.txt").write_text("\n".join(postings.terms), encoding="utf-8")
    np.save(directory / "ptr.npy", postings.ptr)
    np.save(directory / "docs.npy", postings.docs)
    np.save(directory / "tfs.npy", postings.tfs)
    write_json(directory / "words.json", segment.words())
    if segment.dense is not None:
        np.save(directory / "dense.npy", segment.dense)
    if segment.codes is not None:
        np.save(directory / _CODE_WORDS, segment.codes.words)
        np.save(directory / _CODE_NORMS, segment.codes.norms)
        np.save(directory / _CODE_CENTER, segment.codes.center)
    manifest = {
        "articles": len(segment.refs),
        "passages": segment.passage_count,
        "terms": len(postings.terms),
        "dense": segment.dense is not None,
        "files": integrity.file_checksums(directory),
    }
    sealed = integrity.seal(manifest)
    write_json(directory / integrity.MANIFEST, sealed)
    integrity.record_checked(directory, sealed)


def load_segment(directory: Path, *, dense: bool) -> Segment:
    """Loads a verified segment (``dense``: the index uses vectors).

    Raises:
        integrity.Damaged: a file is missing or not as written.
        SegmentMismatch: the arrays do not fit together.
        OSError, ValueError: unreadable.
    """
    manifest = read_json(directory / integrity.MANIFEST, dict)
    integrity.check_seal(manifest)
    integrity.verify(directory, manifest)
    texts = BlobTexts(directory / _TEXTS, _load(directory / "texts.offsets.npy"))
    refs = RefTable(BlobTexts(directory / _REFS, _load(directory / "refs.offsets.npy")))
    article_of = _load(directory / "article_of.npy")
    heading_of = _load(directory / "heading_of.npy")
    lengths = _load(directory / "lengths.npy")
    headings = [str(h) for h in read_json(directory / "headings.json", list)]
    terms_text = (directory / "terms.txt").read_text(encoding="utf-8")
    terms = terms_text.split("\n") if terms_text else []
    postings = Postings(
        terms=terms,
        vocab={t: i for i, t in enumerate(terms)},
        ptr=_load(directory / "ptr.npy"),
        docs=_load(directory / "docs.npy", mmap=True),
        tfs=_load(directory / "tfs.npy", mmap=True),
    )
    vectors = _load(directory / "dense.npy", mmap=True) if dense else None
    codes = _load_codes(directory) if dense else None
    words_file = directory / "words.json"
    segment = Segment(
        refs=refs,
        files=FileColumn(refs),
        article_of=article_of,
        heading_of=heading_of,
        headings=headings,
        texts=texts,
        lengths=lengths,
        postings=postings,
        dense=vectors,
        words=lambda: {str(k): int(v) for k, v in read_json(words_file, dict).items()},
        codes=codes,
    )
    _check(segment, manifest, dense)
    return segment


def _check(segment: Segment, manifest: dict[str, Any], dense: bool) -> None:
    n, articles = int(manifest["passages"]), int(manifest["articles"])
    postings = segment.postings
    fits = (
        len(segment.refs) == articles
        and len(segment.texts) == n
        and len(segment.heading_of) == n
        and len(segment.lengths) == n
        and len(postings.ptr) == len(postings.terms) + 1
        and len(postings.docs) == len(postings.tfs) == int(postings.ptr[-1] if n else 0)
        and (
            n == 0
            or (0 <= int(segment.article_of.min()) and int(segment.article_of.max()) < articles)
        )
        and (n == 0 or int(segment.heading_of.max()) < len(segment.headings))
        and (not dense or (bool(manifest["dense"]) and _dense_fits(segment, n)))
    )
    if not fits:
        raise SegmentMismatch("the segment's arrays do not fit together")


def _dense_fits(segment: Segment, n: int) -> bool:
    matrix, codes = segment.dense, segment.codes
    return (
        matrix is not None
        and matrix.ndim == 2
        and matrix.shape[0] == n
        and matrix.dtype == np.float32
        and codes is not None
        and codes.fits(n, matrix.shape[1])
    )


def _load_codes(directory: Path) -> DenseCodes:
    return DenseCodes(
        words=_load(directory / _CODE_WORDS, mmap=True),
        norms=_load(directory / _CODE_NORMS),
        center=_load(directory / _CODE_CENTER),
    )


def _load(path: Path, *, mmap: bool = False) -> Any:
    return np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)


def _write_blob(path: Path, items: Any) -> None:
    offsets = [0]
    with open(path, "wb") as fh:
        for item in items:
            data = item.encode("utf-8")
            fh.write(data)
            offsets.append(offsets[-1] + len(data))
    np.save(path.with_suffix(".offsets.npy"), np.asarray(offsets, dtype=np.int64))
