"""Opening a corpus's index: the cached one brought up to date, or a fresh build.

A cached start checks the corpus cheaply: one ``stat`` per directory against the
stored listing (``bot.corpus.listing.quick_scan``), never a ``stat`` of every file,
and indexes only what was added, changed or removed.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from bot import __version__
from bot.corpus.listing import Changes, diff, quick_scan, scan
from bot.embed.lazy import LazyModel
from bot.errors import CorpusError
from bot.logs import log_failure
from bot.search.passages import PASSAGE_WORDS
from bot.search.store import (
    CacheDamaged,
    CacheMiss,
    Commit,
    LockBusy,
    index_dir,
    locked,
    read_commit,
)
from bot.search.update import IndexConfig, build, update
from bot.text.tokenize import Tokenizer

log = logging.getLogger("teambot")

#: 6: the stored listing's names end with NULs (5: segments keep their dense
#: vectors' sign codes; 4: segments, commits and a stored listing; 3: one index
#: with file checksums).
FORMAT = 6


@dataclass(frozen=True, slots=True)
class Opened:
    """An index ready to search, and how it came to be."""

    config: IndexConfig
    commit: Commit
    new_articles: bool  # articles were indexed (a build or an update), so just seen
    seconds: float


@functools.cache
def code_digest() -> str:
    """A hash of the core's source, so that any change to parsing or indexing rebuilds."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def expected_manifest(dense: str = "off") -> dict[str, Any]:
    """The fields a usable index must match exactly (``dense``: the static embedding
    model's identity, or ``off``)."""
    return {
        "format": FORMAT,
        "teambot": __version__,
        "code": code_digest(),
        "dense": dense,
        "passage_words": PASSAGE_WORDS,
        # The sign codes' rotation comes from numpy's generator and QR, which a numpy
        # release may change: codes written under another version are rebuilt.
        "numpy": np.__version__,
    }


def index_config(root: Path, data_dir: Path, engine: str, static: LazyModel) -> IndexConfig:
    """The configuration of the index of corpus ``root``.

    Raises:
        CorpusError: ``root`` does not exist.
        OSError: it cannot be looked at (the error names it as given, not resolved).
    """
    if not root.exists() and not root.is_symlink():
        raise CorpusError(f"corpus not found: {root}")
    root = root.resolve()
    return IndexConfig(
        root=root,
        directory=index_dir(data_dir, root),
        expected=expected_manifest(static.ident()),
        tokenizer=Tokenizer(),
        embed=static if static.enabled else None,
        engine=engine,
    )


def open_index(config: IndexConfig) -> Opened:
    """The index of ``config``'s corpus: cached and up to date, or built now.

    Raises:
        CorpusError: the corpus is missing or holds no article files.
    """
    started = time.monotonic()
    commit = _cached(config)
    if commit is not None:
        listing = quick_scan(config.root, commit.listing)
        changes = diff(commit.listing, listing)
        if changes:
            log.info("corpus changed since the index was saved: %s", describe(changes))
            old = commit
            commit = apply(config, lambda c: update(c, old, listing, changes))
        return Opened(config, commit, bool(changes), time.monotonic() - started)
    listing = scan(config.root)
    if not listing.files:
        raise CorpusError(f"no articles in {config.root}: expected .txt, .md or .jsonl files")
    commit = apply(config, lambda c: build(c, listing))
    return Opened(config, commit, True, time.monotonic() - started)


def _cached(config: IndexConfig) -> Commit | None:
    if config.directory is None:
        return None
    try:
        commit = read_commit(config.directory, config.expected, dense=_dense(config))
    except CacheDamaged as damage:
        message = "the index cache in %s is damaged (%s); rebuilding it"
        log.warning(message, config.directory, damage)
        return None
    except CacheMiss as miss:
        log.info("building the index (%s)", miss)
        return None
    log.debug("index loaded from %s", config.directory)
    return commit


def apply(config: IndexConfig, write: Callable[[IndexConfig], Commit]) -> Commit:
    """Runs ``write`` (a build or an update) holding the index's lock; when the data
    directory cannot be written, or another process holds it too long, ``write``
    runs in memory instead (the index is then rebuilt next time)."""
    if config.directory is None:
        return write(config)
    try:
        with locked(config.directory):
            return write(config)
    except (OSError, LockBusy) as exc:
        message = "cannot cache the index in %s (it will be rebuilt next time)"
        log_failure(log, logging.WARNING, message, config.directory, exc=exc)
    return write(replace(config, directory=None))


def _dense(config: IndexConfig) -> bool:
    return config.dense_ident != "off"


def describe(changes: Changes) -> str:
    """``3 added, 1 changed, 2 deleted`` (the non-zero parts)."""
    parts = [
        f"{len(files)} {what}"
        for files, what in (
            (changes.added, "added"),
            (changes.modified, "changed"),
            (changes.deleted, "deleted"),
        )
        if files
    ]
    return ", ".join(parts) or "nothing"
