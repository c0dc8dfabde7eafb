"""A live corpus: files added, changed or removed are picked up while the bot runs.

The OS reports changes (``bot.corpus.watch``: inotify, FSEvents; a periodic scan
where watching is not available). Only the changed files are indexed, into a new
segment, and the articles of changed or removed files are masked
(``bot.search.update``); then the ``TeamBot``'s index is replaced with one
assignment, so a request always sees one complete index, old or new.
Segments are merged afterwards, off the answer path.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from bot.corpus.listing import diff, refresh, scan
from bot.corpus.watch import CorpusWatcher
from bot.errors import BotError
from bot.logs import log_failure
from bot.search.open import Opened, apply, describe
from bot.search.update import merge, merge_choice, update, view
from bot.service import TeamBot
from bot.signals import leave_to_main_thread

log = logging.getLogger("teambot")

#: How long the first full scan waits for the OS watch to be in place (so that no
#: change falls between the two); watchfiles is ready in about a second.
WATCH_READY_SECONDS = 10.0
#: A full scan this often, whatever the OS reports: inotify drops events when its
#: queue overflows, silently through watchfiles. At 200,000 files a scan costs
#: about 1-2 s of one core, so hourly is cheap insurance.
FULL_SCAN_SECONDS = 3600.0


class LiveCorpus:
    """Keeps a ``TeamBot``'s index up to date with its corpus.

    Args:
        bot: the bot to update (its index is swapped in place).
        opened: the index ``bot`` serves, and how to update it (``None``: a fixed
            corpus, as in tests of the adapters).
        watch: ``auto`` (OS events, polling where unavailable) or ``poll``.
    """

    def __init__(self, bot: TeamBot, opened: Opened | None = None, *, watch: str = "auto") -> None:
        self._bot = bot
        self._opened = opened
        self._watch_mode = watch
        self._refresh_lock = threading.Lock()
        self._failed = False  # the last update failed: retried by a full scan

    @property
    def generation(self) -> int:
        """Counts the index's commits: grows with every change picked up."""
        return self._opened.commit.generation if self._opened is not None else 0

    def refresh(self, paths: Iterable[Path] | None = None) -> bool:
        """Indexes what changed in the corpus (only ``paths``, when given; else a full
        scan) and swaps in a bot over the result; True when anything changed."""
        if self._opened is None:
            return False
        with self._refresh_lock:
            config, commit = self._opened.config, self._opened.commit
            listing = (
                scan(config.root) if paths is None else refresh(config.root, commit.listing, paths)
            )
            changes = diff(commit.listing, listing)
            if not changes:
                return False
            commit = apply(config, lambda c: update(c, commit, listing, changes))
            self._swap(replace(self._opened, commit=commit, new_articles=True))
            new = self._bot.article_count()
            log.info("corpus changed (%s): %d articles now", describe(changes), new)
            self._bot.see()
            if merge_choice(commit.segments):
                merged = apply(config, lambda c: merge(c, commit) or commit)
                self._swap(replace(self._opened, commit=merged))
            return True

    def _swap(self, opened: Opened) -> None:
        commit = opened.commit
        index = view(opened.config, commit)
        self._bot.replace_index(index, warnings=commit.warnings, fingerprint=commit.name)
        self._opened = opened

    def watch(self, stop: threading.Event, every: float) -> threading.Thread:
        """Starts watching the corpus until ``stop``: OS events where the system gives
        them, else a scan every ``every`` seconds. A full scan runs first, for the
        in-place edits a cached start cannot see (it only reads directory times)."""
        if self._opened is None:
            return threading.Thread(target=lambda: None)  # a fixed corpus: nothing to watch
        watcher = CorpusWatcher(
            self._opened.config.root,
            lambda paths: self._guarded(lambda: self.refresh(paths)),
            poll_seconds=every,
            force_polling=self._watch_mode == "poll",
        )

        def first() -> None:
            leave_to_main_thread()
            watcher.start(stop)
            watcher.wait_ready(WATCH_READY_SECONDS)  # no change falls between scan and watch
            self._guarded(lambda: self.refresh())
            scanned = time.monotonic()
            while not stop.wait(every):
                # A failed update is retried, whatever the watcher saw since; and now
                # and then a full scan catches what the OS dropped (an overflowing
                # inotify queue is not reported through watchfiles).
                if self._failed or time.monotonic() - scanned >= FULL_SCAN_SECONDS:
                    self._guarded(lambda: self.refresh())
                    scanned = time.monotonic()

        thread = threading.Thread(target=first, name="teambot-corpus-scan", daemon=True)
        thread.start()
        return thread

    def _guarded(self, action: Callable[[], object]) -> None:
        """Runs an update; the watcher outlives any one bad update."""
        self._failed = True
        try:
            action()
            self._failed = False
        except BotError as exc:
            log_failure(log, logging.WARNING, "corpus not reloaded", exc=exc)
        except Exception as exc:
            message = "corpus reload failed; keeping the current index"
            log_failure(log, logging.ERROR, message, exc=exc)
