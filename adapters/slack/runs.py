"""Slack marks of a scheduled run (``adapters.digest_runs``): message metadata.

Each message of a scheduled digest is posted with ``metadata``: the event type
``teambot_digest`` and a payload naming the run and the part. A resumed run
reads them back with ``conversations.history`` and ``include_all_metadata``
(without it, Slack leaves the payload out), which needs the ``channels:history``
scope (``groups:history`` for a private channel).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_sdk import WebClient

from adapters.digest_runs import MARK_EVENT, Mark
from bot.digest.scheduler import Run

#: Messages one conversations.history call returns: Slack recommends "no more
#: than 200 results at a time" (conversations.history, ``limit``).
HISTORY_PAGE = 200
#: Pages read at most, newest first: the run's messages are among the last 1,000
#: of the channel unless a thousand others followed them within the grace period.
#: Past that, a missing mark means a part is posted again rather than lost.
HISTORY_PAGES = 5


def metadata(mark: Mark) -> dict[str, Any]:
    """The ``metadata`` argument of chat.postMessage that marks a message as ``mark``."""
    payload = {"run": mark.run, "part": mark.part, "parts": mark.parts}
    return {"event_type": MARK_EVENT, "event_payload": payload}


def read_mark(message: Mapping[str, Any]) -> Mark | None:
    """The mark of a message from conversations.history, if it has one of teambot's."""
    meta = message.get("metadata")
    if not isinstance(meta, Mapping) or meta.get("event_type") != MARK_EVENT:
        return None
    payload = meta.get("event_payload")
    if not isinstance(payload, Mapping):
        return None
    run, part, parts = payload.get("run"), payload.get("part"), payload.get("parts")
    if not isinstance(run, str) or not isinstance(part, int) or not isinstance(parts, int):
        return None
    return Mark(run, part, parts)


def channel_marks(client: WebClient, channel: str, run: Run, parts: int) -> list[Mark]:
    """The marks of ``run`` in the channel's messages since the run was due.

    Stops reading once every part is found.

    Raises:
        SlackApiError, SlackClientError: Slack refused (e.g. ``missing_scope``) or is
            unreachable.
    """
    found: list[Mark] = []
    cursor: str | None = None
    for _ in range(HISTORY_PAGES):
        response = client.conversations_history(
            channel=channel,
            oldest=f"{run.scheduled_at.timestamp():.6f}",
            limit=HISTORY_PAGE,
            include_all_metadata=True,
            cursor=cursor,
        )
        marks = (read_mark(m) for m in response.get("messages") or ())
        found += [m for m in marks if m is not None and m.run == run.id]
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor or {m.part for m in found} >= set(range(1, parts + 1)):
            break
    return found
