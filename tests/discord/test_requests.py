"""Discord payloads become ``Request`` values: ``adapters.discord.requests``."""

from __future__ import annotations

from adapters.discord.requests import (
    ask_request,
    digest_request,
    message_request,
    more_request,
    sources_request,
)
from adapters.requests import Request
from tests.discord.payloads import ASKER, message_payload


def test_message_request_mention_is_a_question_from_its_author() -> None:
    payload = message_payload("1", "10", ASKER, "<@!777> Who is Billy Boman?")
    request = message_request(payload["content"], int(payload["author"]["id"]))
    assert request == Request("ask", text="Who is Billy Boman?", user="200")


def test_message_request_bare_mention_or_help_is_help() -> None:
    assert message_request("<@777>", 4242) == Request("help")
    assert message_request("<@777> help!", 4242) == Request("help")


def test_message_request_sources_word_is_the_article_list() -> None:
    assert message_request("<@777> /sources", 4242) == Request("sources", user="4242")


def test_ask_request_keeps_the_question_as_typed() -> None:
    assert ask_request("What is a VLA model?", 7) == Request(
        "ask", text="What is a VLA model?", user="7"
    )
    assert ask_request("Sources.", 7) == Request("sources", user="7")
    assert ask_request("help", 7) == Request("help")


def test_digest_and_sources_requests() -> None:
    assert digest_request("yesterday", 7) == Request("digest", day="yesterday", user="7")
    assert digest_request(None, 7) == Request("digest", user="7")
    assert sources_request(7) == Request("sources", user="7")


def test_more_request_routes_by_the_page_form() -> None:
    assert more_request("s:20") == Request("sources", page="s:20")
    assert more_request("d:2026-02-14:2026-02-14:30") == Request(
        "digest", page="d:2026-02-14:2026-02-14:30"
    )
    assert more_request("t:1:2:5") == Request("digest", page="t:1:2:5")
