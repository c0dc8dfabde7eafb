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
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from bot.corpus.loader import load_corpus
from bot.embed.lazy import LazyModel
from bot.embed.models import Embedder
from bot.models import Article, CorpusWarning
from bot.progress import start_progress
from bot.search.chunks import Chunk, index_articles
from bot.search.segment import Segment
from bot.search.writer import SegmentWriter
from bot.text.tokenize import Tokenizer

log = logging.getLogger("teambot")

#: Files one worker task reads: big enough that a task's fixed cost (pickling the
#: result back) is small beside its work (~3 ms a 600-word file), small enough that
#: a few tasks in flight hold little memory.
CHUNK_FILES = 200
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
) -> Built:
    """Indexes the corpus ``files`` (relative to ``root``) into one segment.

    Args:
        root: the corpus root.
        files: the files to index, in corpus order.
        embed: the static model for dense vectors, or ``None``.
        directory: where the segment's texts are streamed (``None``: in memory).
        taken: article ids other segments already hold (skipped as duplicates).
        workers: worker processes (default: the cores this process may use).
    """
    writer = SegmentWriter(directory, taken)
    warnings: list[CorpusWarning] = []
    count = workers if workers is not None else available_cores()
    dense = embed is not None and embed.get() is not None
    with start_progress("indexing", len(files)) as progress:
        for chunk, done in _chunks(root, files, embed if dense else None, count):
            warnings.extend(chunk.warnings)
            warnings.extend(writer.add(chunk))
            progress.update(files=done, passages=len(chunk.texts))
    return Built(writer.finish(dense=dense), tuple(warnings))


def available_cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _chunks(
    root: Path, files: Sequence[str], embed: LazyModel | None, workers: int
) -> Iterator[tuple[Chunk, int]]:
    """Each batch's chunk with how many files it covered, in corpus order."""
    batches = list(_batches(root, files))
    small = sum(len(b) for b in batches if b and not _is_big(root, b))
    if workers < 2 or small < POOL_MIN_FILES:
        for batch in batches:
            yield from _in_process(root, batch, embed)
        return
    context = get_context("spawn")  # no fork: the parent may run threads (chat, watcher)
    spec = embed.spec if embed is not None else None
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start) as pool:
        pending: deque[tuple[list[str], Future[Chunk] | None]] = deque()
        queue = iter(batches)
        for batch in queue:
            pending.append((batch, _submit(pool, root, batch, spec)))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                break
        while pending:
            batch, future = pending.popleft()
            if future is None:
                yield from _in_process(root, batch, embed)
            else:
                yield future.result(), len(batch)
            nxt = next(queue, None)
            if nxt is not None:
                pending.append((nxt, _submit(pool, root, nxt, spec)))


def _submit(
    pool: ProcessPoolExecutor, root: Path, batch: list[str], spec: str | None
) -> Future[Chunk] | None:
    if _is_big(root, batch):
        return None  # streamed by the parent
    return pool.submit(index_batch, str(root), batch, spec)


def _batches(root: Path, files: Sequence[str]) -> Iterator[list[str]]:
    """Runs of up to ``CHUNK_FILES`` files; a big file is a batch of its own."""
    batch: list[str] = []
    for rel in files:
        if _size(root, rel) > BIG_FILE_BYTES:
            if batch:
                yield batch
            yield [rel]
            batch = []
            continue
        batch.append(rel)
        if len(batch) == CHUNK_FILES:
            yield batch
            batch = []
    if batch:
        yield batch


def _is_big(root: Path, batch: list[str]) -> bool:
    return len(batch) == 1 and _size(root, batch[0]) > BIG_FILE_BYTES


def _size(root: Path, rel: str) -> int:
    try:
        return os.stat(resolve(root, rel)).st_size
    except OSError:
        return 0


def resolve(root: Path, rel: str) -> Path:
    """The path of corpus file ``rel`` (a single-file corpus is its own root)."""
    return root if rel == "" or not root.is_dir() else root / rel


def _in_process(
    root: Path, batch: list[str], embed: LazyModel | None
) -> Iterator[tuple[Chunk, int]]:
    embedder = embed.get() if embed is not None else None
    if not _is_big(root, batch):
        yield _index(root, batch, embedder, Tokenizer()), len(batch)
        return
    tokenizer = Tokenizer()
    warnings: list[CorpusWarning] = []
    pending: list[tuple[Article, str]] = []
    for article in _stream(resolve(root, batch[0]), warnings):
        pending.append((article, batch[0]))
        if len(pending) == BIG_FILE_BATCH:
            yield index_articles(pending, tokenizer, embedder, warnings), 0
            pending, warnings = [], []
    yield index_articles(pending, tokenizer, embedder, warnings), 1


def _stream(path: Path, warnings: list[CorpusWarning]) -> Iterable[Article]:
    from bot.corpus.loader import file_articles

    return file_articles(path, warnings)


def _index(root: Path, batch: list[str], embedder: Embedder | None, tok: Tokenizer) -> Chunk:
    pairs: list[tuple[Article, str]] = []
    warnings: list[CorpusWarning] = []
    for rel in batch:
        loaded = load_corpus(resolve(root, rel), [resolve(root, rel)])
        pairs.extend((article, rel) for article in loaded.articles)
        warnings.extend(loaded.warnings)
    return index_articles(pairs, tok, embedder, warnings)


_WORKER: dict[str, object] = {}


def index_batch(root: str, batch: list[str], spec: str | None) -> Chunk:
    """A worker's task: index ``batch`` of corpus files (``spec``: the static model)."""
    tokenizer = _WORKER.setdefault("tokenizer", Tokenizer())
    assert isinstance(tokenizer, Tokenizer)
    embedder = LazyModel(spec, "static").get() if spec is not None else None
    return _index(Path(root), batch, embedder, tokenizer)


def _worker_start() -> None:
    """Ctrl-C is the parent's to handle: it stops the pool, and workers never print
    a traceback of their own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
