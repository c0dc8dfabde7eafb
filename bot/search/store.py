"""The index on disk: segments, and commits that say which segments make the index.

Layout of one corpus's index directory::

    CURRENT           the name of the current commit (replaced atomically)
    lock              writers hold an exclusive lock on it
    c-000007-1a2b/    a commit: manifest.json (sealed), the corpus listing, deletions.json
    s-3c4d5e6f/       a segment (see ``bot.search.segment_io``)

A commit is written whole in a directory of its own, then ``CURRENT`` is replaced,
so a reader sees the old index or the new one, never half of one. Every file is
checksummed (``bot.search.integrity``): a damaged index is rebuilt, never served.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.corpus.listing import Listing
from bot.models import CorpusWarning
from bot.search import integrity
from bot.search.jsonfile import read_json, write_json
from bot.search.listing_io import load_listing, save_listing
from bot.search.parts import Deletions
from bot.search.segment import Segment
from bot.search.segment_io import SegmentMismatch, load_segment, save_segment

CURRENT = "CURRENT"
LOCK = "lock"
DELETIONS = "deletions.json"
#: How long a writer waits for another process's update of the same index before
#: going on without saving (it still answers, from an index built in memory).
LOCK_WAIT_SECONDS = 120.0

#: What a damaged index can throw while being read: each means "rebuild", never a stop.
READ_ERRORS = (
    OSError,
    EOFError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    integrity.Damaged,
    SegmentMismatch,
)


class CacheMiss(Exception):
    """The index is absent, stale or damaged."""


class CacheDamaged(CacheMiss):
    """The index is unreadable, or differs from what was written: worth a warning."""


class LockBusy(Exception):
    """Another process held the index's lock for longer than ``LOCK_WAIT_SECONDS``."""


@dataclass(frozen=True, slots=True)
class Commit:
    """One state of the index: its segments with their deletions, and the listing of
    the corpus files it was built from."""

    name: str
    generation: int
    segments: tuple[tuple[str, Segment, Deletions], ...]
    listing: Listing
    warnings: tuple[CorpusWarning, ...]

    def pairs(self) -> list[tuple[Segment, Deletions]]:
        return [(segment, deletions) for _, segment, deletions in self.segments]


def index_dir(data_dir: Path, root: Path) -> Path:
    """Where the index of corpus ``root`` lives: keyed by its resolved path, so
    ``--corpus c2k`` and ``--corpus /abs/c2k`` share one index."""
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return data_dir / "index" / key


def read_commit(directory: Path, expected: dict[str, Any], *, dense: bool) -> Commit:
    """The current commit, verified, with its segments loaded.

    Raises:
        CacheDamaged: a file is missing, unreadable or not as written.
        CacheMiss: no index yet, or one made by another version or settings.
    """
    try:
        name = (directory / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):  # no index, or no data directory
        raise CacheMiss("no cache yet") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CacheDamaged(f"{CURRENT} is unreadable ({exc})") from exc
    if not name.startswith("c-") or "/" in name:
        raise CacheDamaged(f"{CURRENT} names no commit ({name[:40]!r})")
    commit_dir = directory / name
    try:
        manifest = read_json(commit_dir / integrity.MANIFEST, dict)
        integrity.check_seal(manifest)
        stale = {k for k, v in expected.items() if manifest.get(k) != v}
        if stale:
            raise CacheMiss(f"changed: {', '.join(sorted(stale))}")
        integrity.verify(commit_dir, manifest)
        return _read(directory, commit_dir, manifest, dense=dense)
    except CacheMiss:
        raise
    except READ_ERRORS as exc:
        raise CacheDamaged(f"{name}: {exc.__class__.__name__}: {exc}") from exc


def _read(directory: Path, commit_dir: Path, manifest: dict[str, Any], *, dense: bool) -> Commit:
    listing = load_listing(commit_dir)
    records = read_json(commit_dir / DELETIONS, dict)
    segments = []
    for name in manifest["segments"]:
        try:
            segment = load_segment(directory / str(name), dense=dense)
        except READ_ERRORS as exc:  # name the segment: the message names its file
            raise CacheDamaged(f"segment {name}: {exc}") from exc
        segments.append((str(name), segment, deletions_from_json(records.get(name))))
    warnings = tuple(CorpusWarning(str(p), str(m)) for p, m in manifest["warnings"])
    return Commit(
        name=commit_dir.name,
        generation=int(manifest["generation"]),
        segments=tuple(segments),
        listing=listing,
        warnings=warnings,
    )


def new_segment_dir(directory: Path) -> Path:
    """A fresh directory for a segment being built (``save_segment`` fills it)."""
    path = directory / f"s-{uuid.uuid4().hex[:12]}"
    path.mkdir(parents=True)
    return path


def write_commit(
    directory: Path,
    expected: dict[str, Any],
    generation: int,
    segments: Sequence[tuple[str, Segment, Deletions]],
    listing: Listing,
    warnings: Sequence[CorpusWarning],
    *,
    fresh: Sequence[tuple[Path, Segment]] = (),
) -> Commit:
    """Saves the ``fresh`` segments, writes a commit of ``segments`` and makes it current;
    then removes what no commit needs any more.

    Raises:
        OSError: the index cannot be written (the current commit stays as it was).
    """
    for path, segment in fresh:
        save_segment(segment, path)
    generation = max(generation, _last_generation(directory) + 1)  # after a rebuild too
    name = f"c-{generation:06d}-{uuid.uuid4().hex[:6]}"
    tmp = directory / f".tmp-{name}"
    tmp.mkdir(parents=True)
    try:
        save_listing(tmp, listing)
        write_json(tmp / DELETIONS, {n: deletions_to_json(d) for n, _, d in segments if d})
        manifest = {
            **expected,
            "generation": generation,
            "segments": [n for n, _, _ in segments],
            "warnings": [[w.path, w.message] for w in warnings],
            "files": integrity.file_checksums(tmp),
        }
        sealed = integrity.seal(manifest)
        write_json(tmp / integrity.MANIFEST, sealed)
        integrity.record_checked(tmp, sealed)
        os.replace(tmp, directory / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    pointer = directory / f".{CURRENT}.{uuid.uuid4().hex[:6]}"
    pointer.write_text(name, encoding="utf-8")
    os.replace(pointer, directory / CURRENT)
    _collect(directory, name, {n for n, _, _ in segments})
    return Commit(name, generation, tuple(segments), listing, tuple(warnings))


def _collect(directory: Path, current: str, live: set[str]) -> None:
    """Removes old commits and unused segments. The commit before the current one is
    kept with its segments, so a reader that read ``CURRENT`` just before the
    switch can still open it; a segment already opened is memory-mapped, and
    removing its files does not disturb the mapping."""
    commits = sorted((p.name for p in directory.glob("c-*") if p.name != current), key=_generation)
    keep = {current, *commits[-1:]}
    for name in commits[-1:]:
        with contextlib.suppress(*READ_ERRORS):
            live |= set(read_json(directory / name / integrity.MANIFEST, dict)["segments"])
    for path in directory.iterdir():
        stale_commit = path.name.startswith("c-") and path.name not in keep
        stale_segment = path.name.startswith("s-") and path.name not in live
        leftover = path.name.startswith(".tmp-") and _older_than(path, LOCK_WAIT_SECONDS)
        if stale_commit or stale_segment or leftover:
            shutil.rmtree(path, ignore_errors=True)


def _generation(name: str) -> int:
    """The generation in a commit's name (``c-000007-1a2b`` is 7; -1 if malformed)."""
    parts = name.split("-")
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else -1


def _last_generation(directory: Path) -> int:
    return max((_generation(p.name) for p in directory.glob("c-*")), default=0)


def _older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime > seconds
    except OSError:
        return False


@contextlib.contextmanager
def locked(directory: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Holds the index's writer lock (one writer at a time, across processes).

    Raises:
        LockBusy: another writer held it for ``wait`` seconds.
        OSError: the lock file cannot be created (a read-only data directory).
    """
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / LOCK, "a+b") as fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockBusy(f"another teambot is updating {directory}") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def deletions_to_json(d: Deletions) -> dict[str, Any]:
    return {
        "articles": list(d.articles),
        "df": d.df,
        "length": d.length,
        "passages": d.passages,
        "words": d.words,
    }


def deletions_from_json(obj: Any) -> Deletions:
    if obj is None:
        return Deletions()
    return Deletions(
        articles=tuple(int(a) for a in obj["articles"]),
        df={str(k): int(v) for k, v in obj["df"].items()},
        length=int(obj["length"]),
        passages=int(obj["passages"]),
        words={str(k): int(v) for k, v in obj["words"].items()},
    )
