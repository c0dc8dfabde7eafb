"""``call``: one request, one trip into the ``Bot``, failures as ``Failure`` values."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import pytest

from adapters.digest_pages import SOURCES_STALE, STALE
from adapters.requests import (
    FAILED,
    DigestPage,
    Failure,
    Request,
    Sources,
    call,
    call_and_render,
)
from bot.errors import QuestionError
from bot.fake import FakeBot
from bot.models import Answer, ArticleRef, Help

NOW = datetime(2026, 2, 14, 12, 0, tzinfo=UTC)


def test_call_ask_asks_the_bot_once() -> None:
    bot = FakeBot()
    result = call(bot, Request("ask", text="What did ByteDance ship?"))
    assert isinstance(result, Answer) and result.question == "What did ByteDance ship?"
    assert bot.calls == [("ask", "What did ByteDance ship?")]


def test_call_search_searches_for_the_query() -> None:
    bot = FakeBot()
    call(bot, Request("search", text="Kling 3.0"))
    assert bot.calls == [("search", ("Kling 3.0", 5))]


def test_call_sources_starts_where_the_button_says() -> None:
    ref = ArticleRef("a", "A", "https://example.com/a", None, None)
    bot = FakeBot(articles=(ref,))
    assert call(bot, Request("sources")) == Sources((ref,), 0)
    assert call(bot, Request("sources", page="s:20")) == Sources((ref,), 20)


def test_call_digest_turns_the_day_into_one_window() -> None:
    bot = FakeBot(now=NOW)
    result = call(bot, Request("digest", day="yesterday"))
    assert isinstance(result, DigestPage) and result.start == 0
    assert result.digest.days == (date(2026, 2, 13), date(2026, 2, 13))
    assert [kind for kind, _ in bot.calls] == ["digest"]


def test_call_digest_page_continues_from_the_button_state() -> None:
    bot = FakeBot(now=NOW)
    result = call(bot, Request("digest", page="d:2026-02-01:2026-02-02:30"))
    assert isinstance(result, DigestPage) and result.start == 30
    assert result.digest.days == (date(2026, 2, 1), date(2026, 2, 2))


def test_call_bot_error_becomes_its_message() -> None:
    def refuse(question: str) -> Answer:
        raise QuestionError("a question needs some words")

    assert call(FakeBot(answer=refuse), Request("ask")) == Failure(
        "Sorry: a question needs some words."
    )


def test_call_stale_buttons_and_bad_days_name_the_problem() -> None:
    bot = FakeBot(now=NOW)
    assert call(bot, Request("digest", page="x:1")) == Failure(f"Sorry: {STALE}.")
    assert call(bot, Request("sources", page="nope")) == Failure(f"Sorry: {SOURCES_STALE}.")
    failed = call(bot, Request("digest", day="someday"))
    assert isinstance(failed, Failure) and failed.text.startswith("Sorry: ")
    assert bot.calls == []


def test_call_unexpected_error_is_logged_and_not_shown(caplog: pytest.LogCaptureFixture) -> None:
    def crash(question: str) -> Answer:
        raise RuntimeError("secret path /srv/x")

    with caplog.at_level(logging.ERROR, logger="teambot"):
        assert call(FakeBot(answer=crash), Request("ask", text="q")) == Failure(FAILED)
    assert "secret path" in caplog.text


def test_call_refuses_requests_the_core_has_no_part_in() -> None:
    with pytest.raises(ValueError, match="usage"):
        call(FakeBot(), Request("usage"))
    with pytest.raises(ValueError, match="quit"):
        call(FakeBot(), Request("quit"))


def test_call_help_is_the_cores_help_value() -> None:
    refs = tuple(ArticleRef(f"a{i}", f"Article {i}", None, None, None) for i in range(2))
    bot = FakeBot(articles=refs)
    result = call(bot, Request("help"))
    assert isinstance(result, Help) and result.articles == 2
    assert [c.name for c in result.commands] == ["ask", "search", "sources", "digest"]
    assert bot.calls == [("help", None)]


def test_call_and_render_a_failing_render_still_gives_the_failure_note(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def render(result: object) -> str:
        if not isinstance(result, Failure):
            raise ValueError("layout exploded")
        return f"note: {result.text}"

    with caplog.at_level(logging.ERROR, logger="teambot"):
        reply = call_and_render(FakeBot(), Request("ask", "hi"), render)
    assert reply == f"note: {FAILED}"
    assert "error while rendering the reply to a ask request" in caplog.text
    assert "layout exploded" in caplog.text
