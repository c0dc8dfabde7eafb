"""A scheduled run's messages, posted once each even when a process dies mid-post.

Every message of a scheduled digest carries a mark: its run and its part
(``Mark``). A first attempt posts every part. A resumed run (a retry, or a
takeover from a process that died; see ``bot.digest.scheduler``) first reads the
marks already in the channel and posts only the parts that are missing. Each
platform writes and reads its marks its own way (``adapters.slack.runs``,
``adapters.discord.runs``); what to post, given what was found, is decided here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.digest.scheduler import Run

log = logging.getLogger("teambot.digest")

#: The name a mark goes by: a Slack metadata event type (letters, digits and
#: underscores), and the start of the label a Discord mark shows.
MARK_EVENT = "teambot_digest"


@dataclass(frozen=True, slots=True)
class Mark:
    """Part ``part`` (from 1) of the ``parts`` messages of the run ``run``."""

    run: str
    part: int
    parts: int


def to_post(
    run: Run, parts: int, read: Callable[[], Iterable[Mark]], destination: str
) -> list[Mark]:
    """The marks of the messages to post, in order.

    Args:
        run: the run being posted.
        parts: how many messages the run's digest takes.
        read: the marks in the channel since the run was due (asked only when the
            run is resumed).
        destination: the destination's name, for the log.

    Returns:
        Every part for a first attempt; for a resumed run, the parts whose marks
        ``read`` does not find. When ``read`` fails, every part, logged with the
        reason: a repeated message is better than a lost digest.
    """
    every = [Mark(run.id, part, parts) for part in range(1, parts + 1)]
    if not run.resumed:
        return every
    try:
        found = {mark.part for mark in read() if mark.run == run.id}
    except Exception as exc:  # whatever the platform raised, the digest must still go out
        log.warning(
            "digest for %s (%s) resumed, but its channel could not be read (%s: %s); "
            "posting all %d messages, some may appear twice",
            destination,
            run.id,
            type(exc).__name__,
            exc,
            parts,
        )
        log.debug("reading the channel of %s failed", destination, exc_info=True)
        return every
    missing = [mark for mark in every if mark.part not in found]
    log.info(
        "digest for %s (%s) resumed: %d of its %d messages already posted, posting %d",
        destination,
        run.id,
        parts - len(missing),
        parts,
        len(missing),
    )
    return missing
