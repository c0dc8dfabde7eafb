"""Posts each scheduled digest exactly once, never missing one within the grace period.

For each destination and tick: find the latest scheduled run (``Schedule.due``);
claim it atomically in the state store (a run that is done, held by a live
process, or waiting for its retry time cannot be claimed); build the digest of
everything first seen since that destination's previous digest, up to the run's
scheduled time; post it; mark it done. A failed post releases the claim with a
retry time (exponential backoff). A process that dies holding a claim loses it
when its lease expires, and another process (or the same one restarted) takes
the run over.

A process can also die after the platform accepted some or all of a run's
messages but before recording the run as done (SIGKILL mid-post, a lost
connection). The store cannot know, so the chat platform is asked: the adapter's
poster marks each message it posts with the run and its part (Slack message
metadata, a Discord nonce and embed footer), and when it is given a ``Run``
that is ``resumed`` (a retry or a takeover) it reads the channel's messages
since the scheduled time and posts only the parts whose marks are missing. That
is exact because every attempt of a run posts the same digest: the window ends
at the run's scheduled time, not at the moment of the attempt, and the start is
where the destination's previous digest ended. An article first seen after the
scheduled time is in the next digest. When the channel cannot be read (a missing
permission, an outage), the poster posts the whole run again: a repeated
message is better than a lost digest.
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

from bot.clock import utc_now
from bot.digest.schedule import Destination
from bot.digest.window import Window, between
from bot.logs import log_failure
from bot.models import Digest
from bot.signals import leave_to_main_thread
from bot.state.store import StateStore

log = logging.getLogger("teambot.digest")

BuildDigest = Callable[[Window], Digest]

LEASE = timedelta(minutes=10)
FIRST_WINDOW = timedelta(hours=24)
MAX_BACKOFF = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Run:
    """One scheduled run of a destination, as its poster needs to know it.

    Attributes:
        id: the run's id (the schedule's local date), the same on every attempt.
        scheduled_at: when the run was due (UTC): none of its messages is older.
        resumed: an earlier attempt may have posted some of its messages (a retry
            after a failure, or a takeover from a process that died): the poster
            posts only the parts not yet in the channel.
    """

    id: str
    scheduled_at: datetime
    resumed: bool


#: How to post a digest to one destination, as the given run's messages.
Post = Callable[[Destination, Digest, Run], None]


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
        posters: by adapter name, how to post a digest to one destination as the
            messages of one run (``Post``).
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
        run_id, scheduled_at = due
        claim = self._state.claim(destination.key, run_id, self.owner, now, self._lease)
        if claim is None:
            return None
        run = Run(run_id, scheduled_at, resumed=claim.attempts > 1)
        # The window ends at the scheduled time, so that every attempt posts the same
        # digest and a resumed run can tell its parts (see the module docstring).
        until = scheduled_at
        if claim.previous_until is None and claim.first_seen and claim.first_seen > until:
            # A destination's first digest also holds what the bot found when it first
            # read its corpus, even after the scheduled time (installed at 10:00, it
            # posts today's stories, not "Nothing new"); that time is stored, so every
            # attempt of the run still agrees on the window.
            until = claim.first_seen
        since = min(claim.previous_until or scheduled_at - FIRST_WINDOW, until)
        try:
            digest = self._build(between(since, until))
            posted = not (digest.empty and destination.schedule.skip_empty)
            if posted:
                self._posters[destination.adapter](destination, digest, run)
        except Exception as exc:
            retry = self._clock() + backoff(claim.attempts)
            self._state.release(claim, retry, f"{type(exc).__name__}: {exc}", self._clock())
            log.warning(
                "digest for %s (%s) failed on attempt %d: %s: %s; retrying at %s",
                destination.key,
                run_id,
                claim.attempts,
                type(exc).__name__,
                exc,
                retry.isoformat(timespec="seconds"),
            )
            log.debug("digest for %s: traceback", destination.key, exc_info=exc)
            return Outcome(destination.key, run_id, "failed")
        if not self._state.finish(claim, until, posted=posted, now=self._clock()):
            log.warning("digest for %s (%s): claim was taken over", destination.key, run_id)
            return Outcome(destination.key, run_id, "lost-claim")
        return Outcome(destination.key, run_id, "posted" if posted else "skipped-empty")
