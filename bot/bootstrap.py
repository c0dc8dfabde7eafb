"""The one wiring function: settings in, a ready ``TeamBot`` out."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from bot.corpus.loader import corpus_files, load_corpus
from bot.errors import CorpusError
from bot.models import CorpusWarning
from bot.search.cache import (
    CacheMiss,
    cache_dir,
    expected_manifest,
    fingerprint,
    load_index,
    save_index,
)
from bot.search.index import SearchIndex, build_index
from bot.service import TeamBot
from bot.settings import Settings
from bot.text.tokenize import Tokenizer

log = logging.getLogger("teambot")


def build_bot(settings: Settings) -> TeamBot:
    """Loads the corpus index (from the cache when it is current) and wires the bot.

    Corpus warnings are logged once each, naming the file.

    Raises:
        CorpusError: the corpus path is missing or holds no articles.
        ConfigError: a setting is unusable.
    """
    root = settings.corpus_path()
    files = corpus_files(root)
    directory = cache_dir(settings.data_dir, root, settings.engine)
    expected = expected_manifest(settings.engine, fingerprint(root, files))
    tokenizer = Tokenizer()
    try:
        index, warnings = load_index(directory, expected, tokenizer)
        log.debug("index loaded from %s", directory)
    except CacheMiss as miss:
        log.info("building the index (%s)", miss)
        corpus = load_corpus(root, files)
        warnings = corpus.warnings
        for warning in warnings:
            log.warning("%s", warning)
        if not corpus.articles:
            raise CorpusError(
                f"no articles in {root}: expected .txt, .md or .jsonl files with text"
            ) from None
        index = build_index(corpus.articles, settings.engine, tokenizer)
        _save(index, directory, expected, warnings)
        return TeamBot(index, warnings)
    for warning in warnings:
        log.warning("%s", warning)
    return TeamBot(index, warnings)


def _save(
    index: SearchIndex,
    directory: Path,
    manifest: dict[str, Any],
    warnings: tuple[CorpusWarning, ...],
) -> None:
    """Caches the index; a read-only data dir costs a rebuild next time, never a failure."""
    try:
        save_index(index, directory, manifest, warnings)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        log.warning(
            "cannot cache the index in %s (%s); it will be rebuilt next time", directory, reason
        )
