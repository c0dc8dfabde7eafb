"""Building a segment from corpus files: streamed in chunks, on every core.

Files are read, cleaned, cut into passages and tokenized in batches by a pool of
worker processes (that work is Python, which one process runs on one core at a
time); the parent only joins each batch into the segment in file order, writing
the texts to disk as it goes, so memory holds the term counts, not the corpus.
A small change (the live corpus's usual case) is indexed in-process: starting
workers costs more than it saves.
"""

from __future__ import annotations

import logging
import os
import signal
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from bot.corpus.loader import file_articles, load_corpus
from bot.embed.lazy import LazyModel
from bot.embed.models import Embedder
from bot.logs import log_failure
from bot.models import Article, CorpusWarning
from bot.progress import start_progress
from bot.search.chunks import Chunk, index_articles
from bot.search.segment import Segment
from bot.search.writer import SegmentWriter
from bot.text.tokenize import Tokenizer

log = logging.getLogger("teambot")

#: Files one worker task reads at most: each task's result costs the parent one
#: lookup per distinct term it holds, and a news vocabulary's distinct terms grow
#: much slower than its files (Heaps' law), so big tasks spare the parent; a
#: thousand 600-word files (~5 MB of text and counts) is still little to hold.
CHUNK_FILES = 1_000
#: Tasks per worker at least, so that the last tasks finish close together.
TASKS_PER_WORKER = 8
#: Below this many files the build stays in-process: a worker takes about half a
#: second to start (importing numpy and the tokenizer), as long as indexing a few
#: hundred files; a live update of a handful of files must not pay it.
POOL_MIN_FILES = 1_000
#: Tasks queued per worker: keeps every worker busy while the parent joins a
#: result, without results piling up in memory if the parent falls behind.
IN_FLIGHT_PER_WORKER = 2
#: A file this large (a big JSONL export) is streamed in-process a batch of
#: articles at a time, never handed whole to one worker to hold in memory.
BIG_FILE_BYTES = 32 * 1024 * 1024
#: Articles of a big file indexed per batch.
BIG_FILE_BATCH = 500


@dataclass(frozen=True, slots=True)
class Built:
    """A built segment and the warnings its files gave."""

    segment: Segment
    warnings: tuple[CorpusWarning, ...]


def build_segment(
    root: Path,
    files: Sequence[str],
    embed: LazyModel | None,
    *,
    directory: Path | None = None,
    taken: dict[str, str] | None = None,
    workers: int | None = None,
    sizes: Mapping[str, int] | None = None,
) -> Built:
    """Indexes the corpus ``files`` (relative to ``root``) into one segment.

    Args:
        root: the corpus root.
        files: the files to index, in corpus order.
        embed: the static model for dense vectors, or ``None``.
        directory: where the segment's texts are streamed (``None``: in memory).
        taken: article ids other segments already hold (skipped as duplicates).
        workers: worker processes (default: the cores this process may use).
        sizes: the files' sizes when known (a listing has them), else each is stat-ed.
    """
    count = workers if workers is not None else available_cores()
    dense = embed is not None and embed.get() is not None
    big = _big_files(root, files, sizes)
    try:
        return _build(root, files, big, embed if dense else None, count, directory, taken)
    except BrokenProcessPool as exc:  # a worker was killed (memory), or could not start
        message = "index workers failed; indexing in this process instead"
        log_failure(log, logging.WARNING, message, exc=exc)
        if directory is not None:
            for leftover in directory.iterdir():
                leftover.unlink()
        return _build(root, files, big, embed if dense else None, 1, directory, taken)


def _build(
    root: Path,
    files: Sequence[str],
    big: set[str],
    embed: LazyModel | None,
    workers: int,
    directory: Path | None,
    taken: dict[str, str] | None,
) -> Built:
    writer = SegmentWriter(directory, taken)
    warnings: list[CorpusWarning] = []
    with start_progress("indexing", len(files)) as progress:
        for chunk, done in _chunks(root, files, big, embed, workers):
            warnings.extend(chunk.warnings)
            warnings.extend(writer.add(chunk))
            progress.update(files=done, passages=len(chunk.texts))
    return Built(writer.finish(dense=embed is not None), tuple(warnings))


def available_cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _big_files(root: Path, files: Sequence[str], sizes: Mapping[str, int] | None) -> set[str]:
    """The files over ``BIG_FILE_BYTES``."""
    if sizes is None:
        sizes = {rel: _size(root, rel) for rel in files}
    return {rel for rel in files if sizes.get(rel, 0) > BIG_FILE_BYTES}


def _chunks(
    root: Path, files: Sequence[str], big: set[str], embed: LazyModel | None, workers: int
) -> Iterator[tuple[Chunk, int]]:
    """Each batch's chunk with how many files it covered, in corpus order."""
    size = max(1, min(CHUNK_FILES, len(files) // max(1, workers * TASKS_PER_WORKER)))
    batches = list(_batches(files, big, size))
    small = len(files) - len(big)
    if workers < 2 or small < POOL_MIN_FILES:
        for batch in batches:
            yield from _in_process(root, batch, batch[0] in big, embed)
        return
    context = get_context("spawn")  # no fork: the parent may run threads (chat, watcher)
    spec = embed.spec if embed is not None else None
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start) as pool:
        pending: deque[tuple[list[str], Future[Chunk] | None]] = deque()
        queue = iter(batches)
        for batch in queue:
            pending.append((batch, _submit(pool, root, batch, big, spec)))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                break
        while pending:
            batch, future = pending.popleft()
            if future is None:
                yield from _in_process(root, batch, True, embed)
            else:
                yield future.result(), len(batch)
            nxt = next(queue, None)
            if nxt is not None:
                pending.append((nxt, _submit(pool, root, nxt, big, spec)))


def _submit(
    pool: ProcessPoolExecutor, root: Path, batch: list[str], big: set[str], spec: str | None
) -> Future[Chunk] | None:
    if batch[0] in big:
        return None  # streamed by the parent
    return pool.submit(index_batch, str(root), batch, spec)


def _batches(files: Sequence[str], big: set[str], size: int) -> Iterator[list[str]]:
    """Runs of up to ``size`` files; a big file is a batch of its own."""
    batch: list[str] = []
    for rel in files:
        if rel in big:
            if batch:
                yield batch
            yield [rel]
            batch = []
            continue
        batch.append(rel)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _size(root: Path, rel: str) -> int:
    try:
        return os.stat(resolve(root, rel)).st_size
    except OSError:
        return 0


def resolve(root: Path, rel: str) -> Path:
    """The path of corpus file ``rel`` (a single-file corpus is its own root)."""
    return root if rel == "" or not root.is_dir() else root / rel


def _in_process(
    root: Path, batch: list[str], big: bool, embed: LazyModel | None
) -> Iterator[tuple[Chunk, int]]:
    embedder = embed.get() if embed is not None else None
    tokenizer = _tokenizer()
    if not big:
        yield _index(root, batch, embedder, tokenizer), len(batch)
        return
    warnings: list[CorpusWarning] = []
    pending: list[tuple[Article, str]] = []
    for article in file_articles(resolve(root, batch[0]), warnings):
        pending.append((article, batch[0]))
        if len(pending) == BIG_FILE_BATCH:
            yield index_articles(pending, tokenizer, embedder, warnings), 0
            pending, warnings = [], []
    yield index_articles(pending, tokenizer, embedder, warnings), 1


def _index(root: Path, batch: list[str], embedder: Embedder | None, tok: Tokenizer) -> Chunk:
    pairs: list[tuple[Article, str]] = []
    warnings: list[CorpusWarning] = []
    for rel in batch:
        loaded = load_corpus(resolve(root, rel), [resolve(root, rel)])
        pairs.extend((article, rel) for article in loaded.articles)
        warnings.extend(loaded.warnings)
    return index_articles(pairs, tok, embedder, warnings)


_TOKENIZER: list[Tokenizer] = []


def _tokenizer() -> Tokenizer:
    """This process's tokenizer: one for every batch, so its word and stem caches
    (keyed by the tokenizer's stemmer) serve the whole build."""
    if not _TOKENIZER:
        _TOKENIZER.append(Tokenizer())
    return _TOKENIZER[0]


def index_batch(root: str, batch: list[str], spec: str | None) -> Chunk:
    """A worker's task: index ``batch`` of corpus files (``spec``: the static model)."""
    embedder = LazyModel(spec, "static").get() if spec is not None else None
    return _index(Path(root), batch, embedder, _tokenizer())


def _worker_start() -> None:
    """Ctrl-C is the parent's to handle: it stops the pool, and workers never print
    a traceback of their own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
