"""The corpus listing a commit was built from, stored compactly.

As JSON, a listing of 200,000 files is 14 MB and takes about a second to read back:
longer than a cached one-shot question may take in all. Here the names are one
text file and the stamps one array; the stamps of a file are only looked up when
a directory changed (``quick_scan`` of an unchanged corpus reads none of them).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from bot.corpus.listing import FileStamp, Listing
from bot.search.jsonfile import read_json, write_json

NAMES, STAMPS, HEAD = "listing.names.txt", "listing.stamps.npy", "listing.json"


class StampTable(Mapping[str, FileStamp]):
    """File stamps by relative path, read from arrays on demand."""

    def __init__(self, names: list[str], stamps: npt.NDArray[np.int64]) -> None:
        if stamps.shape != (len(names), 3):
            raise ValueError("the listing's names and stamps do not match")
        self._names = names
        self._stamps = stamps
        self._index: dict[str, int] | None = None

    def _position(self, key: str) -> int | None:
        if self._index is None:
            self._index = {name: i for i, name in enumerate(self._names)}
        return self._index.get(key)

    def __getitem__(self, key: str) -> FileStamp:
        i = self._position(key)
        if i is None:
            raise KeyError(key)
        size, mtime, ctime = (int(v) for v in self._stamps[i])
        return FileStamp(size, mtime, ctime)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._position(key) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def save_listing(directory: Path, listing: Listing) -> None:
    """Writes ``listing`` into ``directory`` (three files)."""
    names = list(listing.files)
    stamps = np.asarray(
        [(s.size, s.mtime_ns, s.ctime_ns) for s in listing.files.values()], dtype=np.int64
    ).reshape(len(names), 3)
    # Each name ends with a NUL, the one character no file name holds: a single-file
    # corpus's one name is "", and a newline is legal in a name.
    (directory / NAMES).write_text("".join(f"{name}\0" for name in names), encoding="utf-8")
    np.save(directory / STAMPS, stamps)
    head = {"root": listing.root, "taken_ns": listing.taken_ns, "dirs": dict(listing.dirs)}
    write_json(directory / HEAD, head)


def load_listing(directory: Path) -> Listing:
    """Reads what ``save_listing`` wrote.

    Raises:
        OSError, ValueError: missing or malformed.
    """
    head = read_json(directory / HEAD, dict)
    text = (directory / NAMES).read_text(encoding="utf-8")
    if text and not text.endswith("\0"):
        raise ValueError("the listing's names are not terminated")
    names = text.split("\0")[:-1]
    stamps = np.load(directory / STAMPS, allow_pickle=False)
    if stamps.dtype != np.int64:
        raise ValueError("the listing's stamps are not integers")
    root, taken, dirs = head["root"], head["taken_ns"], head["dirs"]
    if not isinstance(root, str) or type(taken) is not int or not isinstance(dirs, dict):
        raise ValueError("malformed listing head")
    files = MappingProxyType(StampTable(names, stamps))
    return Listing(root, files, MappingProxyType({str(k): int(v) for k, v in dirs.items()}), taken)
