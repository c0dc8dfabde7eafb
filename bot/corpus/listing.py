"""A stored listing of the corpus: each article file's stamp, each directory's mtime.

An incremental index keeps the listing it was built from. ``scan`` takes a full
listing (the files of ``corpus_files``). ``quick_scan`` checks a stored one at
start for one ``stat`` per directory: adding, deleting or renaming an entry
changes its directory's mtime, so a directory whose mtime is unchanged keeps its
stored files unread. Its limit: an in-place edit of a file leaves the directory's
mtime alone, so ``quick_scan`` misses it; ``scan`` + ``diff`` see it, and so does
the OS watcher (``bot.corpus.watch``) while the bot runs. ``refresh`` re-stats
only the paths the watcher reports.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from bot.corpus.loader import ARTICLE_SUFFIXES
from bot.errors import CorpusError

#: The version of ``Listing.to_json``'s layout; ``from_json`` refuses any other.
FORMAT = 1
#: A directory whose mtime is this close to (or after) the start of the scan that
#: listed it is listed again by the next ``quick_scan``: an entry added in the same
#: timestamp tick, after the directory was read, leaves its mtime unchanged.
#: 2 s is the coarsest mtime in use (FAT's); ext4's and XFS's ticks are a few ms.
RACY_NS = 2_000_000_000

_NAME = attrgetter("name")
_V = TypeVar("_V")


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What tells one version of a file from the next without reading it.

    ``ctime_ns`` catches edits that keep the size and put the mtime back (``rsync
    -t``, ``cp -p``, ``tar -x``, ``touch -r``): the kernel sets the ctime on every
    write, chmod or rename, and no call sets it back. The inode number would add
    nothing (a file renamed into place gets a new ctime) and changes across
    remounts of some network and FUSE file systems.
    """

    size: int
    mtime_ns: int
    ctime_ns: int


@dataclass(frozen=True, slots=True)
class Listing:
    """The article files under a corpus root, with their stamps.

    Attributes:
        root: the resolved corpus root (a directory, or a single file).
        files: stamp by path relative to ``root``, ``/``-separated; a single-file
            corpus has the one key ``""``.
        dirs: mtime (ns) by directory relative to ``root``, ``""`` for the root;
            empty for a single-file corpus.
        taken_ns: wall-clock time the last ``scan`` or ``quick_scan`` began; a
            listing built by hand (0) has every directory listed again.
    """

    root: str
    files: Mapping[str, FileStamp]
    dirs: Mapping[str, int]
    taken_ns: int = 0

    def __post_init__(self) -> None:
        for name in ("files", "dirs"):
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):  # a caller's dict is copied, once
                object.__setattr__(self, name, MappingProxyType(dict(value)))

    def path(self, key: str) -> Path:
        """The absolute path of a key of ``files`` or ``dirs``."""
        return Path(self.root, key)

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict; ``Listing.from_json`` reads it back."""
        return {
            "format": FORMAT,
            "root": self.root,
            "taken_ns": self.taken_ns,
            "dirs": dict(self.dirs),
            "files": {k: [s.size, s.mtime_ns, s.ctime_ns] for k, s in self.files.items()},
        }

    @classmethod
    def from_json(cls, obj: object) -> Listing:
        """Reads what ``to_json`` wrote.

        Raises:
            ValueError: ``obj`` is not a listing of this format.
        """
        if not isinstance(obj, dict) or obj.get("format") != FORMAT:
            raise ValueError(f"not a corpus listing of format {FORMAT}")
        root, taken, dirs, files = (obj.get(k) for k in ("root", "taken_ns", "dirs", "files"))
        if not isinstance(root, str) or not os.path.isabs(root) or type(taken) is not int:
            raise ValueError("corpus listing: 'root' must be an absolute path, 'taken_ns' an int")
        if not isinstance(dirs, dict) or not all(
            _is_key(k) and type(v) is int for k, v in dirs.items()
        ):
            raise ValueError("corpus listing: 'dirs' must map relative paths to ints")
        return cls(root, MappingProxyType(_stamps(files)), MappingProxyType(dict(dirs)), taken)


@dataclass(frozen=True, slots=True)
class Changes:
    """The files added, modified and deleted between two listings (keys, sorted)."""

    added: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.modified or self.deleted)


def diff(old: Listing, new: Listing) -> Changes:
    """What changed from ``old`` to ``new``; a rename is a delete plus an add.

    Raises:
        ValueError: the listings are of different roots.
    """
    if old.root != new.root:
        raise ValueError(f"listings of different roots: {old.root} and {new.root}")
    before, after = old.files, new.files
    if before is after:
        return Changes()
    return Changes(
        added=tuple(sorted(k for k in after if k not in before)),
        modified=tuple(sorted(k for k, s in after.items() if k in before and before[k] != s)),
        deleted=tuple(sorted(k for k in before if k not in after)),
    )


def scan(root: Path) -> Listing:
    """Lists and stats every article file under ``root``: the files of ``corpus_files``.

    Unreadable directories and files (a dangling symlink) are left out.

    Raises:
        CorpusError: ``root`` does not exist.
    """
    top = _resolved(root)
    taken = time.time_ns()
    if not os.path.isdir(top):
        stamp = _stamp(top)
        return Listing(top, {} if stamp is None else {"": stamp}, {}, taken)
    found = _Walk(top, {}, 0)
    found.walk("")
    return Listing(top, MappingProxyType(found.files), MappingProxyType(found.dirs), taken)


def quick_scan(root: Path, previous: Listing) -> Listing:
    """``previous`` brought up to date by stat-ing directories only.

    A directory whose mtime is the one stored keeps its stored files, unread; any
    other is listed again and its files stat-ed; a directory gone drops its files.
    Not seen: an in-place edit of a file (its directory's mtime stays), which
    ``scan`` + ``diff`` or the OS watcher see. A ``previous`` of another root (or
    of a single file) is replaced by a full ``scan``.

    Raises:
        CorpusError: ``root`` does not exist.
    """
    top = _resolved(root)
    if not _comparable(top, previous):
        return scan(root)
    taken = time.time_ns()
    found = _Walk(top, previous.dirs, previous.taken_ns - RACY_NS)
    found.walk("")
    files = previous.files
    if len(found.kept) < len(previous.dirs):  # some directory was listed again
        kept = found.kept
        fresh = {k: s for k, s in files.items() if k.rpartition("/")[0] in kept}
        fresh.update(found.files)
        files = MappingProxyType(fresh)
    return Listing(top, files, MappingProxyType(found.dirs), taken)


def refresh(root: Path, previous: Listing, paths: Iterable[Path]) -> Listing:
    """``previous`` with only ``paths`` (from OS events) stat-ed again.

    A path may name a file or a directory, new, changed or gone. A directory is
    walked as ``quick_scan`` walks the root, so a new one is listed whole. Paths
    outside the corpus, hidden or not articles are ignored. The root itself among
    ``paths`` means "anything may have changed" (see ``CorpusWatcher``) and takes
    a full ``scan``, as does a ``previous`` of another root.

    Raises:
        CorpusError: ``root`` does not exist.
    """
    top = _resolved(root)
    keys = _keys(top, str(root.absolute()), paths)
    if keys is None or not _comparable(top, previous):
        return scan(root)
    files, dirs = _copy(previous.files), _copy(previous.dirs)
    gone: list[str] = []  # directories (once or now) whose stored entries are dropped
    found = _Walk(top, previous.dirs, previous.taken_ns - RACY_NS)
    for key in _topmost(keys, previous.dirs):
        full = os.path.join(top, key)
        is_dir = _is_real_dir(full)
        if is_dir or key in dirs:
            gone.append(key)
        if is_dir:
            found.walk(key)
        elif key.lower().endswith(ARTICLE_SUFFIXES) and (stamp := _stamp(full)) is not None:
            files[key] = stamp
        else:
            files.pop(key, None)
    if gone:
        inside = tuple(f"{key}/" for key in gone)
        for key in [k for k in previous.files if k.startswith(inside)]:
            if key.rpartition("/")[0] not in found.kept:
                del files[key]
        for key in [k for k in previous.dirs if k in gone or k.startswith(inside)]:
            del dirs[key]
    files.update(found.files)
    dirs.update(found.dirs)
    return Listing(top, MappingProxyType(files), MappingProxyType(dirs), previous.taken_ns)


class _Walk:
    """Walks directories, trusting a stored mtime older than ``settled``.

    Collects the files of the directories it lists, each directory's mtime, and
    the directories whose stored files stand (``kept``: mtime unchanged).
    """

    def __init__(self, top: str, stored: Mapping[str, int], settled: int) -> None:
        self.top, self.stored, self.settled = top, stored, settled
        self.files: dict[str, FileStamp] = {}
        self.dirs: dict[str, int] = {}
        self.kept: set[str] = set()
        self.children: dict[str, list[str]] = {}
        for key in stored:  # in the order of `stored`: walk order after a scan
            if key:
                self.children.setdefault(key.rpartition("/")[0], []).append(key)

    def walk(self, start: str) -> None:
        """Walks ``start`` (a key of a directory) and everything below it."""
        stack = [start]
        while stack:
            rel = stack.pop()
            full = os.path.join(self.top, rel) if rel else self.top
            try:
                info = os.stat(full)  # before listing: a change meanwhile moves the mtime on
            except OSError:
                continue
            mtime = info.st_mtime_ns
            if self.stored.get(rel) == mtime and mtime < self.settled:
                self.kept.add(rel)
                subdirs = self.children.get(rel, [])
            else:
                try:
                    subdirs = self._list(full, rel)
                except OSError:  # unreadable: left out, as os.walk leaves it out
                    continue
            self.dirs[rel] = mtime
            stack.extend(reversed(subdirs))

    def _list(self, full: str, rel: str) -> list[str]:
        """Stats the article files of one directory; returns its subdirectories."""
        prefix = f"{rel}/" if rel else ""
        files = self.files
        subdirs: list[str] = []
        with os.scandir(full) as it:
            entries = sorted(it, key=_NAME)  # read whole first: an error then drops none
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:  # as os.walk: an entry that cannot be told a directory is a file
                is_dir = False
            if is_dir:
                if not entry.is_symlink():  # os.walk lists directory links, never enters
                    subdirs.append(prefix + name)
            elif name.lower().endswith(ARTICLE_SUFFIXES):
                try:
                    info = entry.stat()
                except OSError:
                    continue
                files[prefix + name] = FileStamp(info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        return subdirs


def _resolved(root: Path) -> str:
    if not root.exists() and not root.is_symlink():
        raise CorpusError(f"corpus not found: {root}")
    return str(root.resolve())


def _comparable(top: str, previous: Listing) -> bool:
    """Whether ``previous`` lists the directory ``top`` (else only a full scan will do)."""
    return previous.root == top and "" in previous.dirs and os.path.isdir(top)


def _keys(top: str, given: str, paths: Iterable[Path]) -> set[str] | None:
    """The listing keys ``paths`` name (hidden ones left out); None if one is the root."""
    keys: set[str] = set()
    bases = (os.path.join(top, ""), os.path.join(given, ""))
    for path in paths:
        full = os.path.abspath(path)
        if full in (top, given):
            return None
        base = next((b for b in bases if full.startswith(b)), None)
        if base is not None:
            key = full[len(base) :].replace(os.sep, "/")
            if not any(part.startswith(".") for part in key.split("/")):
                keys.add(key)
    return keys


def _topmost(keys: set[str], dirs: Mapping[str, int]) -> list[str]:
    """Each key, or its highest ancestor the listing lacks (a new or excluded
    directory), leaving out keys inside another."""
    lifted: set[str] = set()
    for key in keys:
        parts = key.split("/")
        ancestors = ("/".join(parts[:depth]) for depth in range(1, len(parts)))
        lifted.add(next((a for a in ancestors if a not in dirs), key))
    tops: set[str] = set()
    for key in sorted(lifted, key=lambda k: k.count("/")):  # outer directories first
        parts = key.split("/")
        if not any("/".join(parts[:depth]) in tops for depth in range(1, len(parts))):
            tops.add(key)
    return sorted(tops)


def _is_real_dir(path: str) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode) and not os.path.islink(path)
    except OSError:
        return False


def _stamp(path: str) -> FileStamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return FileStamp(info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _copy(mapping: Mapping[str, _V]) -> dict[str, _V]:
    # dict() of a MappingProxyType goes key by key: 20 times slower than its copy()
    return mapping.copy() if isinstance(mapping, MappingProxyType) else dict(mapping)


def _stamps(files: object) -> dict[str, FileStamp]:
    """The stamps of ``Listing.to_json``'s "files"; a loop of cheap checks, as a listing
    of 200,000 files is read at every start."""
    if not isinstance(files, dict):
        raise ValueError("corpus listing: 'files' must be an object")
    stamps: dict[str, FileStamp] = {}
    for key, value in files.items():
        if not (_is_key(key) and type(value) is list and len(value) == 3):
            raise ValueError(f"corpus listing: bad file entry {key!r}")
        size, mtime, ctime = value
        if not type(size) is type(mtime) is type(ctime) is int:  # type(): not bool
            raise ValueError(f"corpus listing: bad file entry {key!r}")
        stamps[key] = FileStamp(size, mtime, ctime)
    return stamps


def _is_key(key: object) -> bool:
    """Whether ``key`` is a path a scan can list: relative, no empty or hidden part."""
    return (
        type(key) is str
        and not key.startswith((".", "/"))
        and "/." not in key
        and "//" not in key
        and not key.endswith("/")
    )
