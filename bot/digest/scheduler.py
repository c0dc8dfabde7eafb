"""Posts each scheduled digest exactly once, never missing one within the grace period.

For each destination and tick: find the latest scheduled run (``Schedule.due``);
claim it atomically in the state store (a run that is done, held by a live
process, or waiting for its retry time cannot be claimed); build the digest of
everything first seen since that destination's previous digest; post it; mark
it done. A failed post releases the claim with a retry time (exponential
backoff). A process that dies holding a claim loses it when its lease expires,
and another process (or the same one restarted) takes the run over.

The one case this cannot cover: a process that dies after the platform accepted
the post but before recording it. The window between the two is one database
write; platforms offer no way to ask "did I already post this?".
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.digest.schedule import Destination
from bot.digest.window import Window, between
from bot.logs import log_failure
from bot.models import Digest
from bot.service import utc_now
from bot.signals import leave_to_main_thread
from bot.state.store import StateStore

log = logging.getLogger("teambot.digest")

Post = Callable[[Destination, Digest], None]
BuildDigest = Callable[[Window], Digest]

LEASE = timedelta(minutes=10)
FIRST_WINDOW = timedelta(hours=24)
MAX_BACKOFF = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one tick did for one destination."""

    destination: str
    run: str
    result: str  # "posted", "skipped-empty", "failed", "lost-claim"


def process_owner() -> str:
    """A name for this process in claims: host, pid and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after the ``attempts``-th failure, at most ``MAX_BACKOFF``."""
    return min(MAX_BACKOFF, timedelta(minutes=2 ** max(0, attempts - 1)))


class Scheduler:
    """Runs the digest schedule of every destination against shared state.

    Args:
        destinations: where digests go, each with its schedule.
        state: the shared store of claims.
        build: makes the digest of a window.
        posters: by adapter name, how to post a digest to one destination.
        grace: how late a missed run is still posted.
        clock: the current time (aware).
        owner: this process's name in claims.
    """

    def __init__(
        self,
        destinations: Sequence[Destination],
        state: StateStore,
        build: BuildDigest,
        posters: dict[str, Post],
        *,
        grace: timedelta = timedelta(hours=12),
        clock: Callable[[], datetime] = utc_now,
        owner: str | None = None,
        lease: timedelta = LEASE,
    ) -> None:
        self.destinations = tuple(destinations)
        self._state = state
        self._build = build
        self._posters = posters
        self._grace = grace
        self._clock = clock
        self._lease = lease
        self.owner = owner or process_owner()

    def tick(self) -> list[Outcome]:
        """Posts whatever is due now; one destination's failure never stops the others."""
        outcomes = []
        for destination in self.destinations:
            try:
                outcome = self._run(destination)
            except Exception as exc:
                log_failure(log, logging.ERROR, "digest for %s failed", destination.key, exc=exc)
                continue
            if outcome is not None:
                outcomes.append(outcome)
        return outcomes

    def run_forever(self, stop: threading.Event, every: float = 20.0) -> threading.Thread:
        """Ticks every ``every`` seconds on a daemon thread until ``stop`` is set."""

        def loop() -> None:
            leave_to_main_thread()
            while True:
                self.tick()
                if stop.wait(every):
                    return

        thread = threading.Thread(target=loop, name="teambot-digest-scheduler", daemon=True)
        thread.start()
        return thread

    def _run(self, destination: Destination) -> Outcome | None:
        now = self._clock()
        due = destination.schedule.due(now, self._grace)
        if due is None:
            return None
        run, scheduled_at = due
        claim = self._state.claim(destination.key, run, self.owner, now, self._lease)
        if claim is None:
            return None
        since = claim.previous_until or scheduled_at - FIRST_WINDOW
        until = self._clock()
        try:
            digest = self._build(between(since, until))
            posted = not (digest.empty and destination.schedule.skip_empty)
            if posted:
                self._posters[destination.adapter](destination, digest)
        except Exception as exc:
            retry = self._clock() + backoff(claim.attempts)
            self._state.release(claim, retry, f"{type(exc).__name__}: {exc}", self._clock())
            log.warning(
                "digest for %s (%s) failed on attempt %d: %s: %s; retrying at %s",
                destination.key,
                run,
                claim.attempts,
                type(exc).__name__,
                exc,
                retry.isoformat(timespec="seconds"),
            )
            log.debug("digest for %s: traceback", destination.key, exc_info=exc)
            return Outcome(destination.key, run, "failed")
        if not self._state.finish(claim, until, posted=posted, now=self._clock()):
            log.warning("digest for %s (%s): claim was taken over", destination.key, run)
            return Outcome(destination.key, run, "lost-claim")
        return Outcome(destination.key, run, "posted" if posted else "skipped-empty")
