"""Properties of the Slack formatters over hostile article and question text:
never an exception, never over a Slack limit, never a mention or link that came
from the text (only an article's own http(s) URL links)."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from adapters.digest_pages import SOURCES_PAGE, read_sources_token
from adapters.slack import format as fmt
from adapters.slack.digest_format import POST_MESSAGES, RESPONSE_URL_MESSAGES, digest_messages
from bot.models import Answer, ArticleRef, Digest
from tests.adapters.strategies import (
    DIGEST_PROPERTY,
    PROPERTY,
    answer_refs,
    answers,
    digest_refs,
    digests,
    hostile_digest,
    links_of,
    long_text,
    refs,
)

_LINK = re.compile(r"<([^<>|]*)(?:\|[^<>]*)?>")
_ENTITY = re.compile(r"&(?!amp;|lt;|gt;)")
BUTTON_VALUE_CHARS = 2000  # Block Kit: a button's value
BUTTON_LABEL_CHARS = 75  # Block Kit: a button's text

HOSTILE = hostile_digest()


def assert_inert(text: str, links: set[str]) -> None:
    """Every ``<…>`` in ``text`` is a link to one of ``links``; every ``&`` an entity."""
    for found in _LINK.finditer(text):
        assert found[1] in links, found[0]
    rest = _LINK.sub("", text)
    assert "<" not in rest, text  # (a ">" alone opens nothing: ours starts a quote)
    assert not _ENTITY.search(text), text


def _texts(block: dict[str, Any]) -> list[str]:
    kind = block["type"]
    if kind == "divider":
        return []
    if kind == "actions":
        for element in block["elements"]:
            assert 0 < len(element["value"]) <= BUTTON_VALUE_CHARS
            assert 0 < len(element["text"]["text"]) <= BUTTON_LABEL_CHARS
        return []
    objects = [block["text"]] if kind == "section" else block["elements"]
    assert kind in ("section", "context") and 0 < len(objects)
    assert len(objects) <= fmt.CONTEXT_ELEMENTS
    for item in objects:
        assert item["type"] == "mrkdwn" and item["verbatim"] is True
        assert 0 < len(item["text"]) <= fmt.SECTION_CHARS
    return [item["text"] for item in objects]


def assert_safe(messages: list[fmt.Message], articles: list[ArticleRef], most: int) -> None:
    """Within Slack's limits, and inert but for the articles' own links."""
    assert 1 <= len(messages) <= most
    links = {fmt.escape(u) for u in links_of(articles)}
    for message in messages:
        assert 0 < len(message["text"]) <= fmt.FALLBACK_CHARS
        assert_inert(message["text"], set())  # the fallback never links
        assert len(message["blocks"]) <= fmt.MESSAGE_BLOCKS
        assert sum(fmt.block_chars(b) for b in message["blocks"]) <= fmt.MESSAGE_CHARS
        for block in message["blocks"]:
            for text in _texts(block):
                assert_inert(text, links)


@PROPERTY
@given(answers)
def test_answers_are_safe(answer: Answer) -> None:
    assert_safe(fmt.answer_messages(answer), answer_refs(answer), RESPONSE_URL_MESSAGES)


@PROPERTY
@given(st.lists(refs, max_size=30), st.integers(0, 40))
def test_source_pages_are_one_safe_message(articles: list[ArticleRef], start: int) -> None:
    messages = fmt.sources_messages(articles, start)
    assert_safe(messages, articles, 1)
    (message,) = messages
    last = message["blocks"][-1]
    if last["type"] == "actions":
        following = read_sources_token(last["elements"][0]["value"])
        assert start < following <= min(start + SOURCES_PAGE, len(articles) - 1)


@DIGEST_PROPERTY
@given(digests, st.integers(0, 6), st.integers(0, 5), st.integers(1, POST_MESSAGES))
@example(HOSTILE, 6, 0, POST_MESSAGES)
@example(HOSTILE, 0, 0, 1)
@example(HOSTILE, 3, 5, 1)
@example(HOSTILE, 6, 2, 2)
def test_digests_are_safe(digest: Digest, full: int, start: int, limit: int) -> None:
    messages = digest_messages(digest, full=full, start=start, limit=limit)
    assert_safe(messages, digest_refs(digest), limit)


@PROPERTY
@given(long_text)
def test_notes_are_safe(text: str) -> None:
    # Notes carry question text back ("Sorry: invalid date '…'"); one always fits.
    assert_safe(fmt.text_message(text[:3000]), [], 1)
