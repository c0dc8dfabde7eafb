"""The one wiring function: settings in, a ready ``TeamBot`` out."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.corpus.loader import corpus_files, load_corpus
from bot.digest.schedule import Destination, Schedule, default_schedule, parse_schedule
from bot.digest.scheduler import Post, Scheduler
from bot.embed.lazy import LazyModel
from bot.errors import BotError, CorpusError
from bot.live import LiveBot
from bot.logs import log_failure
from bot.models import CorpusWarning
from bot.search.cache import (
    CacheDamaged,
    CacheMiss,
    cache_dir,
    expected_manifest,
    fingerprint,
    load_index,
    save_index,
)
from bot.search.index import SearchIndex, build_index
from bot.service import TeamBot, utc_now
from bot.settings import Settings
from bot.state.open import lazy_store
from bot.state.store import StateStore
from bot.text.tokenize import Tokenizer

log = logging.getLogger("teambot")


def build_bot(
    settings: Settings,
    *,
    state: StateStore | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> TeamBot:
    """Loads the corpus index (from the cache when it is current) and wires the bot.

    Corpus warnings are logged once each, naming the file. The state store is
    opened only when first needed (a digest, or recording a changed corpus).

    Raises:
        CorpusError: the corpus path is missing or holds no articles.
        ConfigError: a setting is unusable.
    """
    if state is None:
        state = lazy_store(settings.state_url, settings.data_dir)
    index, warnings, corpus_print, rebuilt = _index(settings)
    for warning in warnings:
        log.warning("%s", warning)
    static, rerank = models(settings)
    bot = TeamBot(
        index,
        state,
        settings.zone(),
        warnings=warnings,
        fingerprint=corpus_print,
        clock=clock,
        static=static,
        rerank=rerank,
    )
    if rebuilt:
        _record_first_seen(bot)
    return bot


@dataclass
class App:
    """A running bot: the live corpus, and the digest scheduler when destinations exist."""

    settings: Settings
    bot: LiveBot
    state: StateStore
    scheduler: Scheduler | None
    stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        """Starts watching the corpus and, if configured, posting scheduled digests."""
        self.bot.watch(self.stop, self.settings.reload_seconds)
        if self.scheduler is not None:
            self.scheduler.run_forever(self.stop)

    def close(self) -> None:
        """Stops the background threads and closes the state store."""
        self.stop.set()
        self.state.close()


def build_app(
    settings: Settings,
    *,
    destinations: tuple[Destination, ...] = (),
    posters: dict[str, Post] | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> App:
    """Wires a long-running bot: ``build_bot`` plus corpus watching and the scheduler.

    Raises:
        CorpusError, ConfigError, ScheduleError: refused at start-up with a clear message.
    """
    state = lazy_store(settings.state_url, settings.data_dir)
    bot = build_bot(settings, state=state, clock=clock)
    live = LiveBot(
        bot,
        rebuild=lambda: build_bot(settings, state=state, clock=clock),
        fingerprint=lambda: corpus_fingerprint(settings),
    )
    scheduler = None
    if destinations:
        scheduler = Scheduler(
            destinations,
            state,
            live.digest,
            posters or {},
            grace=timedelta(hours=settings.digest_grace_hours),
            clock=clock,
        )
    return App(settings, live, state, scheduler)


def digest_defaults(settings: Settings, *, prefix: str = "TEAMBOT_") -> Schedule:
    """The default digest schedule from the settings.

    Raises:
        ScheduleError: a malformed value, named with what is accepted.
    """
    return default_schedule(
        settings.digest_time,
        settings.zone(),
        settings.digest_days,
        settings.digest_empty,
        prefix=prefix,
    )


def console_destinations(settings: Settings) -> tuple[Destination, ...]:
    """The console's digest destination, when ``TEAMBOT_CONSOLE_DIGEST`` is set.

    Raises:
        ScheduleError: a malformed schedule.
    """
    spec = (settings.console_digest or "").strip()
    if not spec or spec.lower() in ("off", "no", "false", "0"):
        return ()
    default = digest_defaults(settings)
    on = spec.lower() in ("on", "yes", "true", "1")
    schedule = default if on else parse_schedule(spec, default, setting="TEAMBOT_CONSOLE_DIGEST")
    return (Destination("console", "terminal", schedule),)


def corpus_fingerprint(settings: Settings) -> str:
    """The current fingerprint of the configured corpus's files.

    Raises:
        CorpusError: the corpus path is missing.
    """
    root = settings.corpus_path()
    return fingerprint(root, corpus_files(root))


def models(settings: Settings) -> tuple[LazyModel, LazyModel]:
    """The static (dense retrieval) and rerank models the settings name, unloaded."""
    return (
        LazyModel(settings.embed_model, "static"),
        LazyModel(settings.rerank_model, "rerank"),
    )


def _index(settings: Settings) -> tuple[SearchIndex, tuple[CorpusWarning, ...], str, bool]:
    root = settings.corpus_path()
    files = corpus_files(root)
    corpus_print = fingerprint(root, files)
    directory = cache_dir(settings.data_dir, root, settings.engine)
    static, _ = models(settings)
    dense_ident = static.ident()
    expected = expected_manifest(settings.engine, corpus_print, dense_ident)
    tokenizer = Tokenizer()
    try:
        index, warnings = load_index(directory, expected, tokenizer)
        log.debug("index loaded from %s", directory)
        return index, warnings, corpus_print, False
    except CacheDamaged as damage:
        log.warning("the index cache in %s is damaged (%s); rebuilding it", directory, damage)
    except CacheMiss as miss:
        log.info("building the index (%s)", miss)
    corpus = load_corpus(root, files)
    if not corpus.articles:
        for warning in corpus.warnings:
            log.warning("%s", warning)
        raise CorpusError(f"no articles in {root}: expected .txt, .md or .jsonl files with text")
    embedder = static.get()
    if embedder is None:
        expected = {**expected, "dense": "off"}
    index = build_index(
        corpus.articles, settings.engine, tokenizer, embedder=embedder, embed_ident=dense_ident
    )
    _save(index, directory, expected, corpus.warnings)
    return index, corpus.warnings, corpus_print, True


def _record_first_seen(bot: TeamBot) -> None:
    """Notes when new articles were first seen; a digest retries this if it fails here."""
    try:
        bot.see()
    except BotError as exc:
        log_failure(log, logging.WARNING, "cannot record when articles were first seen", exc=exc)


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
        message = "cannot cache the index in %s (it will be rebuilt next time)"
        log_failure(log, logging.WARNING, message, directory, exc=exc)
