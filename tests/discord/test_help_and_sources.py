"""``help`` and ``sources`` as the whole message are commands, and /sources on a
20,000-article corpus is one page with a "More articles" button, end to end."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from adapters.digest_pages import SOURCES_PAGE
from adapters.discord.more import PREFIX, SOURCES_LABEL
from bot.help import ABOUT
from bot.service import TeamBot
from tests.adapters.many_articles import use_many_articles
from tests.discord.conftest import Connected, connect, disconnect
from tests.discord.fake_discord import APP_ID, ASKER, BOT, CHANNEL, DM, FakeDiscord
from tests.discord.payloads import component_payload, message_payload
from tests.discord.test_commands import _command
from tests.discord.test_messages import _mention, _text
from tests.slack.fake_slack import LoopThread

EPHEMERAL = 64


@pytest.mark.parametrize("said", ["help", "Help?", "sources"])
def test_a_mention_that_is_only_a_command_word_runs_the_command(
    discord_bot: Connected, said: str
) -> None:
    discord_bot.dispatch("MESSAGE_CREATE", _mention("41001", said))
    (reply,) = discord_bot.wait("messages", 1)
    text = _text(reply)
    if said == "sources":
        assert "5 articles, newest first:" in text and "China's Spring Festival" in text
    else:
        assert ABOUT in text and "/digest" in text and "/sources" in text
        assert not reply.get("embeds")  # a note, not an answer about "help"


def test_help_in_a_dm_and_through_ask_is_the_help_text(discord_bot: Connected) -> None:
    discord_bot.dispatch("MESSAGE_CREATE", message_payload("41002", DM, ASKER, "help", guild=False))
    _command(discord_bot, "41003", "ask", question="help")
    replies = discord_bot.wait("messages", 2)
    assert all(ABOUT in _text(r) for r in replies)


def test_a_question_that_mentions_help_is_still_a_question(discord_bot: Connected) -> None:
    discord_bot.dispatch("MESSAGE_CREATE", _mention("41004", "help me: what is a VLA model?"))
    (reply,) = discord_bot.wait("messages", 1)
    assert "Vision-language-action" in _text(reply) and ABOUT not in _text(reply)


@pytest.fixture
def huge_corpus(
    loop: LoopThread, fake: FakeDiscord, seeds_bot: TeamBot, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Connected]:
    use_many_articles(monkeypatch)
    connected = connect(loop, fake, seeds_bot)
    yield connected
    disconnect(connected)


def _button(message: dict[str, Any]) -> str:
    (row,) = message["components"]
    (button,) = row["components"]
    assert button["label"] == SOURCES_LABEL and button["custom_id"].startswith(PREFIX)
    return str(button["custom_id"])


def test_sources_of_20000_articles_is_one_page_and_more_continues_privately(
    huge_corpus: Connected,
) -> None:
    _command(huge_corpus, "41010", "sources")
    (first,) = huge_corpus.settle(1)
    assert first["path"] == f"webhooks/{APP_ID}/tok-41010"
    (embed,) = first["embeds"]
    assert embed["title"] == "20,000 articles, newest first (1–20):"
    assert embed["description"].startswith("1. [Article 1: a headline")
    pressed = message_payload("41999", CHANNEL, BOT, "", components=first["components"])
    huge_corpus.dispatch("INTERACTION_CREATE", component_payload("41011", _button(first), pressed))
    (_, page) = huge_corpus.settle(2)
    assert page["flags"] & EPHEMERAL
    (embed,) = page["embeds"]
    assert embed["title"] == "20,000 articles, newest first (21–40):"
    assert embed["description"].startswith(f"{SOURCES_PAGE + 1}. [Article {SOURCES_PAGE + 1}:")
    assert _button(page).endswith(f"s:{2 * SOURCES_PAGE}")


def test_sources_by_mention_is_one_page_with_the_button(huge_corpus: Connected) -> None:
    huge_corpus.dispatch("MESSAGE_CREATE", _mention("41020", "sources"))
    (reply,) = huge_corpus.settle(1)
    assert reply["message_reference"]["message_id"] == 41020
    assert _button(reply).endswith(f"s:{SOURCES_PAGE}")
