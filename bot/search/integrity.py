"""Checksums of the index cache's files: a cache is served only as it was written.

The manifest records every other file's size and SHA-256, and is sealed with a
checksum of its own content. Loading checks the seal, then the files:

- a cache of at most ``FULL_CHECK_BYTES`` is hashed in full on every load;
- a larger one is hashed in full when any file's status (size, modification and
  change times, inode) differs from the one recorded at its last full check, when
  that record is missing or unreadable, and at least every ``RECHECK_EVERY``.
  Any write to a file moves its change time, which, unlike the modification time,
  no system call sets back; so an edit, a truncation or a copy is always caught
  before the file is trusted. Only decay of the medium itself, which changes no
  time, waits for the next full check.

Hashing is what costs: 0.24 s or more for the 323 MB cache of 20,000 articles, as
long as the cached load itself; a status check costs 0.2 ms (README, *Performance*).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

from bot.search.jsonfile import read_json, write_json

MANIFEST = "manifest.json"
#: The record of the last full check: the files' status then, and when it was.
CHECKED = "checked.json"

#: Caches up to this size are hashed in full on every load. SHA-256 reads 1.1 to
#: 1.4 GB/s on the project's machine (bench/search_speed.py prints a full check), so
#: this costs at most about 60 ms, a quarter of a cached load (0.25 s).
FULL_CHECK_BYTES = 64 * 2**20
#: The longest a large cache goes without a full check (seconds): bounds how long
#: decay that changes no file time can go unnoticed, at one full hash a day.
RECHECK_EVERY = 24 * 3600.0


class Damaged(ValueError):
    """A cache file is missing or differs from what its manifest recorded."""


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def file_checksums(directory: Path) -> dict[str, list[int | str]]:
    """``[size, sha256]`` of every file under ``directory`` but the manifest and the
    check record, by path relative to ``directory``."""
    result: dict[str, list[int | str]] = {}
    for path in sorted(directory.rglob("*")):
        name = path.relative_to(directory).as_posix()
        if path.is_file() and name not in (MANIFEST, CHECKED):
            result[name] = [path.stat().st_size, file_sha256(path)]
    return result


def seal(manifest: dict[str, Any]) -> dict[str, Any]:
    """``manifest`` with a ``checksum`` of the rest of its content."""
    return {**manifest, "checksum": _content_sha256(manifest)}


def check_seal(manifest: dict[str, Any]) -> None:
    """Checks the manifest against its own ``checksum``.

    Raises:
        Damaged: the manifest is not the one that was written.
    """
    if manifest.get("checksum") != _content_sha256(manifest):
        raise Damaged(f"{MANIFEST} does not match its checksum")


def verify(directory: Path, manifest: dict[str, Any]) -> None:
    """Checks every file the sealed ``manifest`` lists (see the module's docstring).

    Raises:
        Damaged: a file is missing, or its size or checksum differs.
        OSError: a file cannot be read.
    """
    files: dict[str, list[Any]] = manifest["files"]
    large = sum(int(size) for size, _ in files.values()) > FULL_CHECK_BYTES
    if large:
        status = file_status(directory, files)
        if status is not None and _recently_checked(directory, manifest["checksum"], status):
            return
    for name, (size, sha256) in files.items():
        path = directory / name
        try:
            actual = path.stat().st_size
        except FileNotFoundError:
            raise Damaged(f"{name} is missing") from None
        if actual != size:
            raise Damaged(f"{name} has {actual} bytes, not {size}")
        if file_sha256(path) != sha256:
            raise Damaged(f"{name} does not match its checksum")
    if large:
        record_checked(directory, manifest)


def record_checked(directory: Path, manifest: dict[str, Any]) -> None:
    """Notes that every file of ``manifest`` was just found sound, with its status now.

    Best effort: a read-only cache is then hashed in full on every load.
    """
    status = file_status(directory, manifest["files"])
    if status is None:
        return
    record = {"manifest": manifest["checksum"], "at": time.time(), "files": status}
    tmp = directory / f"{CHECKED}.tmp-{uuid.uuid4().hex[:8]}"
    try:
        write_json(tmp, record)
        os.replace(tmp, directory / CHECKED)
    except OSError:
        tmp.unlink(missing_ok=True)


def file_status(directory: Path, files: dict[str, Any]) -> dict[str, list[int]] | None:
    """Each file's size, modification and change times and inode; None if one is missing."""
    status = {}
    for name in files:
        try:
            st = (directory / name).stat()
        except OSError:
            return None
        status[name] = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    return status


def _recently_checked(directory: Path, checksum: str, status: dict[str, list[int]]) -> bool:
    try:
        record = read_json(directory / CHECKED, dict)
        age = time.time() - float(record["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return (
        record.get("manifest") == checksum
        and 0 <= age < RECHECK_EVERY
        and record.get("files") == status
    )


def _content_sha256(manifest: dict[str, Any]) -> str:
    content = {k: v for k, v in manifest.items() if k != "checksum"}
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
