"""Properties of the Discord formatters over hostile article and question text:
never an exception, never over a Discord limit, never a mention or link that came
from the text (only an article's own http(s) URL links)."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from adapters.digest_pages import SOURCES_PAGE, read_sources_token
from adapters.discord import format as fmt
from adapters.discord.digest_format import MESSAGES, digest_replies
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

#: A ``](`` that markdown reads as the middle of a masked link: not escaped, that
#: is, after an even number of backslashes.
_MASKED = re.compile(r"(?<!\\)(?:\\\\)*\]\(")
_PING = re.compile(r"@(everyone|here)|<(?!\u200b|…)")  # "<…": a cut fell between "<" and its guard

HOSTILE = hostile_digest()


def assert_inert(text: str, links: set[str]) -> None:
    """No mention, masked link or bare URL in ``text`` but links to ``links``."""
    rest = text
    for url in links:
        rest = rest.replace(f"]({url})", "]")
    assert not _MASKED.search(rest), text
    assert "://" not in rest, text
    assert not _PING.search(rest), text


def assert_safe(replies: list[fmt.Reply], articles: list[ArticleRef], most: int) -> None:
    """Within Discord's limits, and inert but for the articles' own links."""
    assert 1 <= len(replies) <= most
    links = links_of(articles)
    for reply in replies:
        assert reply.content or reply.embeds
        assert len(reply.content) <= fmt.CONTENT_CHARS
        assert len(reply.embeds) <= fmt.MESSAGE_EMBEDS
        assert sum(fmt.embed_size(e) for e in reply.embeds) <= fmt.MESSAGE_EMBED_CHARS
        texts = [reply.content]
        for embed in reply.embeds:
            assert embed.get("title") or embed.get("description") or embed.get("fields")
            assert 0 < len(embed.get("title", "-")) <= fmt.TITLE_CHARS
            assert 0 < len(embed.get("description", "-")) <= fmt.DESCRIPTION_CHARS
            assert len(embed.get("fields", [])) <= fmt.EMBED_FIELDS
            texts += [embed.get("title", ""), embed.get("description", "")]
            for item in embed.get("fields", []):
                assert 0 < len(item["name"]) <= fmt.FIELD_NAME_CHARS
                assert 0 < len(item["value"]) <= fmt.FIELD_VALUE_CHARS
                texts += [item["name"], item["value"]]
        for text in texts:
            assert_inert(text, links)


@PROPERTY
@given(answers)
def test_answers_are_safe(answer: Answer) -> None:
    assert_safe(fmt.answer_replies(answer), answer_refs(answer), MESSAGES)


@PROPERTY
@given(st.lists(refs, max_size=30), st.integers(0, 40))
def test_source_pages_are_one_safe_message(articles: list[ArticleRef], start: int) -> None:
    replies = fmt.sources_replies(articles, start)
    assert_safe(replies, articles, 1)
    (reply,) = replies
    if reply.more is not None:
        following = read_sources_token(reply.more)
        assert start < following <= min(start + SOURCES_PAGE, len(articles) - 1)


@DIGEST_PROPERTY
@given(digests, st.integers(0, 6), st.integers(0, 5), st.integers(1, MESSAGES))
@example(HOSTILE, 6, 0, MESSAGES)
@example(HOSTILE, 0, 0, 1)
@example(HOSTILE, 3, 5, 1)
@example(HOSTILE, 6, 2, 2)
def test_digests_are_safe(digest: Digest, full: int, start: int, limit: int) -> None:
    replies = digest_replies(digest, full=full, start=start, limit=limit)
    assert_safe(replies, digest_refs(digest), limit)


@PROPERTY
@given(long_text)
def test_notes_are_safe(text: str) -> None:
    # Notes carry question text back ("Sorry: invalid date '…'").
    assert_safe(fmt.text_reply(text), [], 1)
