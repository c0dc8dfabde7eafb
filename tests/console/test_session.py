"""The console session, driven as a person drives it."""

from __future__ import annotations

import pytest

from adapters.console.session import ConsoleSession
from bot.help import ABOUT
from bot.service import TeamBot


@pytest.fixture
def session(seeds_bot: TeamBot) -> ConsoleSession:
    return ConsoleSession(seeds_bot, digest_stories=10)


def test_question_gets_answer_with_numbered_sources(session: ConsoleSession) -> None:
    out = session.ask("how many parameters does RynnBrain have?")
    assert "30-billion-parameter model" in out and "[1]" in out
    assert "Sources:\n  [1] China's Spring Festival AI Blitz" in out
    assert "(The Bit Baker newsletter, 2026-02-14)" in out


def test_same_article_shares_one_source_number(session: ConsoleSession) -> None:
    out = session.ask("How many parameters does RynnBrain have?")
    assert out.count("[1]") == 3 and "[2]" not in out  # two sentences, one article


def test_off_topic_question_says_so(session: ConsoleSession) -> None:
    out = session.ask("Give me a recipe for banana bread")
    assert out == "The articles don't answer this question."


def test_not_sure_tier_quotes_closest_passages(session: ConsoleSession) -> None:
    out = session.ask("What did ByteDance ship?")
    assert out.startswith("I couldn't find a direct answer; the closest passages are:\n\n  > ")
    assert "    — " in out


def test_off_topic_question_gets_the_plain_abstention(session: ConsoleSession) -> None:
    assert session.ask("when is standup today") == "The articles don't answer this question."


def test_search_command(session: ConsoleSession) -> None:
    out = session.ask("/search Kling 3.0")
    assert out.startswith("1. ") and "Kling" in out
    assert session.ask("/search") == "Usage: /search QUERY, e.g. /search Kling 3.0"


def test_sources_command_lists_every_article(session: ConsoleSession) -> None:
    out = session.ask("/sources")
    assert out.splitlines()[0] == "5 articles:"
    assert "002_5d43811d6ad67c0f  China's Spring Festival AI Blitz" in out


def test_help_and_unknown_command(session: ConsoleSession) -> None:
    assert "/search QUERY" in session.ask("/help")
    assert (
        session.ask("/frob")
        == "Unknown command /frob. Commands: /search, /sources, /digest, /help, /quit."
    )


def test_quit_ends_the_session(session: ConsoleSession) -> None:
    for command in ("/quit", "/exit", "/QUIT"):
        assert session.handle(command).done


def test_blank_and_overlong_lines(session: ConsoleSession) -> None:
    assert session.handle("   ").text == ""
    out = session.ask("x" * 2500)
    assert out.startswith("Sorry: the question is 2,500 characters long; the limit is 2,000")


def test_unexpected_error_becomes_a_friendly_reply(
    session: ConsoleSession, seeds_bot: TeamBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(question: str) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(seeds_bot, "ask", broken)
    out = session.ask("What is RynnBrain?")
    assert out == "Sorry, something went wrong with that one. Try rephrasing it."
    assert "disk on fire" not in out


def test_banner_counts_articles(session: ConsoleSession) -> None:
    assert session.banner() == "teambot: 5 articles ready. Ask a question, or /help for commands."


def test_digest_command(session: ConsoleSession) -> None:
    out = session.ask("/digest 2026-01-28")
    assert out.startswith("Digest for 2026-01-28: 1 story\n\n1. Chinese AI Surge")
    assert session.ask("/digest 2020-01-01") == "Nothing new for 2020-01-01."
    assert session.ask("/digest soon").startswith("Sorry: invalid date 'soon'")


@pytest.mark.parametrize("line", ["help", "Help?", "HELP"])
def test_help_as_the_whole_line_is_the_help_text(session: ConsoleSession, line: str) -> None:
    out = session.ask(line)
    assert out.startswith(ABOUT) and "/search QUERY" in out


def test_sources_as_the_whole_line_lists_the_articles(session: ConsoleSession) -> None:
    assert session.ask("sources").splitlines()[0] == "5 articles:"


def test_a_question_that_mentions_help_is_still_a_question(session: ConsoleSession) -> None:
    out = session.ask("help me: what is a VLA model?")
    assert "Vision-language-action" in out and ABOUT not in out
