"""Slack payloads in, ``Request`` values out: pure functions, no I/O.

A slash command's payload, an event's ``event`` dict and a block action's
``action`` dict each become one ``adapters.requests.Request``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from adapters.requests import Request
from adapters.slack.format import strip_mentions
from adapters.wording import HELP, SOURCES, command_word


def question_request(text: str, user: str) -> Request:
    """A question typed to ``/ask``, in a mention or in a DM: ``help`` when empty or
    the word help, ``sources`` when the word sources, else ``ask``."""
    question = strip_mentions(text)
    word = command_word(question) or ("" if question else HELP)
    if word == HELP:
        return Request("help")
    if word == SOURCES:
        return Request("sources", user=user)
    return Request("ask", text=question, user=user)


def command_request(command: Mapping[str, Any]) -> Request:
    """A slash command's payload (``command``, ``text``, ``user_id``...) as a ``Request``.

    ``/digest`` takes the day typed after it (today, yesterday, YYYY-MM-DD; none:
    the last 24 hours); ``/sources`` ignores its text; ``/ask`` (and any other) is
    a question.
    """
    name = str(command.get("command", ""))
    user = str(command.get("user_id", ""))
    text = str(command.get("text", ""))
    if name == "/digest":
        return Request("digest", day=text.strip() or None, user=user)
    if name == "/sources":
        return Request("sources", user=user)
    return question_request(text, user)


def event_request(event: Mapping[str, Any]) -> Request:
    """An ``app_mention`` or DM ``message`` event as a question (or help, or sources)."""
    return question_request(str(event.get("text", "")), str(event.get("user", "")))


def action_request(action: Mapping[str, Any], kind: Literal["digest", "sources"]) -> Request:
    """A "More" button click: the next page of the digest (``kind`` ``digest``) or of
    the article list (``sources``), from the state in the button's value."""
    page = str(action.get("value", ""))
    return Request("digest", page=page) if kind == "digest" else Request("sources", page=page)
