"""The one wiring function: settings in, a running bot out.

``bootstrap`` wires every long-running entry point (the console, Slack, Discord):
it owns the clock and the time zone, and builds the digest destinations from the
``Outlet``s the adapters register, so the core never names an adapter. The
one-shot commands (``ask``, ``search``, ``digest``) need no watching or schedule:
``build_bot`` opens the same index the same way.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.clock import utc_now
from bot.digest.schedule import Destination, Schedule, default_schedule
from bot.digest.scheduler import Post, Scheduler
from bot.embed.lazy import LazyModel
from bot.errors import BotError, CorpusError
from bot.live import LiveCorpus
from bot.logs import log_failure
from bot.search.open import Opened, index_config, open_index
from bot.search.update import view
from bot.service import TeamBot
from bot.settings import Settings
from bot.state.open import lazy_store
from bot.state.store import StateStore

log = logging.getLogger("teambot")


def build_bot(
    settings: Settings,
    *,
    state: StateStore | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> TeamBot:
    """Loads the corpus index (from the cache, brought up to date) and wires the bot.

    Corpus warnings are logged once each, naming the file. The state store is
    opened only when first needed (a digest, or recording new articles).

    Raises:
        CorpusError: the corpus path is missing or holds no articles.
        ConfigError: a setting is unusable.
    """
    bot, _ = _open(settings, state, clock)
    return bot


def _open(
    settings: Settings, state: StateStore | None, clock: Callable[[], datetime]
) -> tuple[TeamBot, Opened]:
    if state is None:
        state = lazy_store(settings.state_url, settings.data_dir)
    static, rerank = models(settings)
    config = index_config(settings.corpus_path(), settings.data_dir, settings.engine, static)
    opened = open_index(config)
    for warning in opened.commit.warnings:
        log.warning("%s", warning)

    bot = TeamBot(
        view(opened.config, opened.commit),
        state,
        settings.zone(),
        warnings=opened.commit.warnings,
        fingerprint=opened.commit.name,
        clock=clock,
        static=static,
        rerank=rerank,
    )

    if not bot.article_count():
        raise CorpusError(
            f"no articles in {config.root}: expected .txt, .md or .jsonl files with text"
        )
    how = "built or updated" if opened.new_articles else "loaded"
    log.info("%d articles ready (index %s in %.1f s)", bot.article_count(), how, opened.seconds)
    if opened.new_articles:
        _record_first_seen(bot)
    return bot, opened


@dataclass
class App:
    """A running bot: the live corpus, and the digest scheduler when destinations exist."""

    settings: Settings
    bot: TeamBot
    corpus: LiveCorpus
    state: StateStore
    scheduler: Scheduler | None
    stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        """Starts watching the corpus and, if configured, posting scheduled digests."""
        self.corpus.watch(self.stop, self.settings.reload_seconds)
        if self.scheduler is not None:
            self.scheduler.run_forever(self.stop)

    def close(self) -> None:
        """Stops the background threads and closes the state store."""
        self.stop.set()
        self.state.close()


@dataclass(frozen=True, slots=True)
class Outlet:
    """Where an adapter posts scheduled digests.

    Attributes:
        adapter: the adapter's name, as its destinations carry it.
        destinations: the adapter's destinations, from its own settings, given the
            default schedule (``TEAMBOT_DIGEST_TIME``/``_DAYS``/``_EMPTY`` in the zone);
            raises ``ScheduleError`` for a malformed one.
        post: posts one digest to one of them.
    """

    adapter: str
    destinations: Callable[[Schedule], tuple[Destination, ...]]
    post: Post


def bootstrap(
    settings: Settings,
    *,
    outlets: Sequence[Outlet] = (),
    clock: Callable[[], datetime] = utc_now,
) -> App:
    """Wires a long-running bot: the index, corpus watching, and the digest scheduler
    for the destinations the ``outlets`` name. Nothing runs until ``App.start``.

    Raises:
        CorpusError, ConfigError, ScheduleError: refused at start-up with a clear message
            (a malformed destination before the index is loaded).
    """
    destinations: tuple[Destination, ...] = ()
    if outlets:
        default = digest_defaults(settings)
        destinations = tuple(d for outlet in outlets for d in outlet.destinations(default))
    posters = {outlet.adapter: outlet.post for outlet in outlets}
    return build_app(settings, destinations=destinations, posters=posters, clock=clock)


def build_app(
    settings: Settings,
    *,
    destinations: tuple[Destination, ...] = (),
    posters: dict[str, Post] | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> App:
    """``bootstrap`` with the destinations and their posters given directly (tests and
    benchmarks name theirs).

    Raises:
        CorpusError, ConfigError, ScheduleError: refused at start-up with a clear message.
    """
    state = lazy_store(settings.state_url, settings.data_dir)
    bot, opened = _open(settings, state, clock)
    live = LiveCorpus(bot, opened, watch=settings.watch)
    scheduler = None
    if destinations:
        scheduler = Scheduler(
            destinations,
            state,
            bot.digest,
            posters or {},
            grace=timedelta(hours=settings.digest_grace_hours),
            clock=clock,
        )
    return App(settings, bot, live, state, scheduler)


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


def models(settings: Settings) -> tuple[LazyModel, LazyModel]:
    """The static (dense retrieval) and rerank models the settings name, unloaded."""
    return (
        LazyModel(settings.embed_model, "static"),
        LazyModel(settings.rerank_model, "rerank"),
    )


def _record_first_seen(bot: TeamBot) -> None:
    """Notes when new articles were first seen; a digest retries this if it fails here."""
    try:
        bot.see()
    except BotError as exc:
        log_failure(log, logging.WARNING, "cannot record when articles were first seen", exc=exc)
