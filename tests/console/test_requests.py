"""Console lines become ``Request`` values: ``adapters.console.requests``."""

from __future__ import annotations

from adapters.console.requests import SEARCH_USAGE, to_request
from adapters.console.session import ConsoleSession
from adapters.requests import Request
from bot.fake import FakeBot


def test_to_request_plain_line_is_a_question() -> None:
    assert to_request("  what did ByteDance ship? ") == Request(
        "ask", text="what did ByteDance ship?"
    )


def test_to_request_bare_words_are_commands() -> None:
    assert to_request("Help?") == Request("help")
    assert to_request("sources.") == Request("sources")


def test_to_request_commands() -> None:
    assert to_request("/QUIT") == Request("quit")
    assert to_request("/digest 2026-02-14") == Request("digest", day="2026-02-14")
    assert to_request("/digest") == Request("digest")
    assert to_request("/search Kling 3.0") == Request("search", text="Kling 3.0")


def test_to_request_commands_typed_wrong_say_what_to_type() -> None:
    assert to_request("/search  ") == Request("usage", text=SEARCH_USAGE)
    unknown = to_request("/frobnicate now")
    assert unknown.kind == "usage" and unknown.text.startswith("Unknown command /frobnicate.")


def test_session_makes_one_core_call_per_request() -> None:
    bot = FakeBot()
    session = ConsoleSession(bot, digest_stories=3)
    session.handle("/digest yesterday")
    session.handle("/help")
    session.handle("/search nothing")
    assert [kind for kind, _ in bot.calls] == ["digest", "help", "search"]
