"""Reading corpus files safely: regular files only, never more than a cap.

A corpus directory is anyone's drop box. A FIFO named ``x.txt`` would block a
plain ``open`` until some writer appeared (for ever, and the live watcher with
it); a ``.txt`` symlink to ``/dev/zero`` never reaches its end; a file can grow
while it is read. So a file is opened without blocking, checked to be a regular
file on the open descriptor, and read only up to its cap.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

#: A JSONL line longer than this is skipped by reading on in pieces this size, so
#: a skipped line is never held in memory whole.
_SKIP_CHUNK = 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotRegularFile(Exception):
    """The path names something other than a regular file (after symlinks)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def open_regular(path: Path) -> BinaryIO:
    """Opens ``path`` for binary reading if it is a regular file.

    Raises:
        NotRegularFile: a FIFO, device, socket or directory.
        OSError: the file cannot be opened.
    """
    _check_regular(os.stat(path).st_mode)  # before opening: opening a device can act
    # O_NONBLOCK: opening a FIFO then returns at once instead of waiting for a writer.
    file = open(path, "rb", opener=lambda name, flags: os.open(name, flags | os.O_NONBLOCK))
    try:
        _check_regular(os.fstat(file.fileno()).st_mode)  # it may have been swapped since
    except BaseException:
        file.close()
        raise
    return file


def read_capped(file: BinaryIO, limit: int) -> bytes | None:
    """The whole content of ``file``, or ``None`` when it is longer than ``limit`` bytes.

    At most ``limit + 1`` bytes are read, whatever the file's size claims to be.
    """
    data = file.read(limit + 1)
    return None if len(data) > limit else data


def capped_lines(file: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """Yields each line of ``file`` without its line end, or ``None`` for a line
    longer than ``limit`` bytes (read past in pieces, never held whole)."""
    while True:
        line = file.readline(limit + 1)
        if not line:
            return
        if line.endswith(b"\n"):
            yield line[:-1].removesuffix(b"\r")
        elif len(line) <= limit:
            yield line  # the last line, without a line end
        else:
            while (rest := file.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield None


def _check_regular(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise NotRegularFile(kind)
