"""Discord payloads in, ``Request`` values out: pure functions, no I/O.

A message's content and author, a slash command's options and a "More" button's
page each become one ``adapters.requests.Request``.
"""

from __future__ import annotations

from adapters.discord.format import strip_mentions
from adapters.requests import Request
from adapters.wording import HELP, SOURCES, command_word


def message_request(content: str, author: int | str) -> Request:
    """A mention or DM: ``help`` when empty (mentions aside) or the word help,
    ``sources`` when the word sources, else a question."""
    question = strip_mentions(content)
    word = command_word(question) or ("" if question else HELP)
    return _word_or_question(word, question, str(author))


def ask_request(question: str, user: int | str) -> Request:
    """``/ask question: …``: the word help or sources is that command, anything else
    (Discord requires the option) a question."""
    return _word_or_question(command_word(question), question, str(user))


def digest_request(date: str | None, user: int | str) -> Request:
    """``/digest [date: …]``: the day typed (today, yesterday, YYYY-MM-DD), or none
    for the last 24 hours."""
    return Request("digest", day=date, user=str(user))


def sources_request(user: int | str) -> Request:
    """``/sources``."""
    return Request("sources", user=str(user))


def more_request(page: str) -> Request:
    """A "More" button's click: the article list's next page (a page ``s:…``), else
    the digest's."""
    return Request("sources" if page.startswith("s:") else "digest", page=page)


def _word_or_question(word: str | None, question: str, user: str) -> Request:
    if word == HELP:
        return Request("help")
    if word == SOURCES:
        return Request("sources", user=user)
    return Request("ask", text=question, user=user)
