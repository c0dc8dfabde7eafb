"""Scheduled runs against the fake chat servers: a scheduler that posts a fixed digest
through an adapter's real poster, and a process that dies in the middle of a post."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.digest.schedule import Destination, Schedule
from bot.digest.scheduler import LEASE, Post, Run, Scheduler
from bot.digest.window import Window, between
from bot.models import Digest
from bot.settings import BUNDLED_SEEDS
from bot.state.open import open_store
from bot.state.store import StateStore
from tests.big_digest import big_digest

UTC_ZONE = ZoneInfo("UTC")
#: After the lease of a process that died: another process takes its run over.
AFTER_THE_LEASE = LEASE + timedelta(minutes=1)


class Killed(BaseException):
    """The process dies here: nothing runs after it, not even the scheduler's handling of
    a failed post (which catches ``Exception``), so its claim stays held until the lease
    runs out, as after a SIGKILL."""


def due_a_minute_ago() -> datetime:
    """A scheduled time just past, on the real clock the fake servers stamp messages with."""
    return datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)


def seen_before(due: datetime, data_dir: Path, corpus: Path = BUNDLED_SEEDS) -> None:
    """Records the corpus's articles (by file name) as first seen an hour before ``due``
    in the state store under ``data_dir``, as if a bot had run then: a scheduled run holds
    what was first seen by its scheduled time, so a bot started after it needs this to
    post more than "Nothing new"."""
    store = open_store(None, data_dir)
    try:
        store.see([p.stem for p in corpus.iterdir() if p.is_file()], due - timedelta(hours=1))
    finally:
        store.close()


def fixed_digest(stories: int) -> Callable[[Window], Digest]:
    """Builds the same ``stories`` big stories for any window (the window's own bounds)."""
    return lambda window: big_digest(window, stories)


def scheduler(
    store: StateStore,
    destination: tuple[str, str],
    post: Post,
    build: Callable[[Window], Digest],
    *,
    due: datetime,
    now: datetime,
    owner: str,
) -> Scheduler:
    """A scheduler of one destination ``(adapter, channel)``, due daily at ``due``, whose
    clock stands at ``now``."""
    adapter, channel = destination
    target = Destination(adapter, channel, Schedule(due.time(), UTC_ZONE))
    return Scheduler([target], store, build, {adapter: post}, clock=lambda: now, owner=owner)


def dies_on_failure(post: Post) -> Post:
    """``post``, but a failure kills the process instead of being reported."""

    def dying(destination: Destination, digest: Digest, run: Run) -> None:
        try:
            post(destination, digest, run)
        except Exception as exc:
            raise Killed from exc

    return dying


def dies_after(post: Post) -> Post:
    """``post``, then the process dies before the run is recorded as done."""

    def dying(destination: Destination, digest: Digest, run: Run) -> None:
        post(destination, digest, run)
        raise Killed

    return dying


def first_run(due: datetime) -> Run:
    """The first attempt of the run due at ``due``."""
    return Run(due.date().isoformat(), due, resumed=False)


def resumed_run(due: datetime) -> Run:
    """A retried or taken-over run due at ``due``."""
    return Run(due.date().isoformat(), due, resumed=True)


def window_of(due: datetime) -> Window:
    """The window a first run due at ``due`` covers."""
    return between(due - timedelta(hours=24), due)
