"""Mentions, threads, DMs, bots, injection, the rate limit and failures, end to end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.bootstrap import build_bot
from bot.service import TeamBot
from tests.conftest import settings_for
from tests.discord.conftest import Connected, connect, disconnect
from tests.discord.fake_discord import (
    ASKER,
    BOT,
    CHANNEL,
    DM,
    OTHER_BOT,
    THREAD,
    FakeDiscord,
    message_payload,
)
from tests.slack.fake_slack import LoopThread


def _text(message: dict) -> str:  # type: ignore[type-arg]
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


def _mention(id_: str, text: str, channel: str = CHANNEL, **extra) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return message_payload(id_, channel, ASKER, f"<@{BOT['id']}> {text}", mentions=[BOT], **extra)


def test_mention_is_answered_as_a_reply_with_no_pings(discord_bot: Connected) -> None:
    discord_bot.dispatch(
        "MESSAGE_CREATE", _mention("11001", "How many parameters does RynnBrain have?")
    )
    (reply,) = discord_bot.wait("messages", 1)
    assert reply["path"] == f"channels/{CHANNEL}/messages"
    assert reply["message_reference"]["message_id"] == 11001
    assert reply["allowed_mentions"] == {"parse": [], "replied_user": False}
    text = _text(reply)
    assert "30-billion-parameter" in text and "China's Spring Festival AI Blitz" in text
    assert "2026-02-14" in text


def test_mention_in_a_thread_is_answered_in_the_thread(discord_bot: Connected) -> None:
    discord_bot.dispatch("MESSAGE_CREATE", _mention("11002", "qwen image olympics", channel=THREAD))
    (reply,) = discord_bot.wait("messages", 1)
    assert reply["path"] == f"channels/{THREAD}/messages" and "Winter Olympics" in _text(reply)


def test_dm_is_answered(discord_bot: Connected) -> None:
    dm = message_payload("11003", DM, ASKER, "Who is Billy Boman?", guild=False)
    discord_bot.dispatch("MESSAGE_CREATE", dm)
    (reply,) = discord_bot.wait("messages", 1)
    assert reply["path"] == f"channels/{DM}/messages" and "advertising agency" in _text(reply)


def test_bots_unmentioned_messages_and_everyone_are_ignored(discord_bot: Connected) -> None:
    discord_bot.dispatch(
        "MESSAGE_CREATE", message_payload("11010", CHANNEL, OTHER_BOT, "<@100> hi", mentions=[BOT])
    )
    discord_bot.dispatch(
        "MESSAGE_CREATE", message_payload("11011", CHANNEL, BOT, "<@100> me", mentions=[BOT])
    )
    discord_bot.dispatch(
        "MESSAGE_CREATE", message_payload("11012", CHANNEL, ASKER, "What is a VLA model?")
    )
    discord_bot.dispatch(
        "MESSAGE_CREATE",
        message_payload("11013", CHANNEL, ASKER, "@everyone VLA?", mention_everyone=True),
    )
    discord_bot.dispatch("MESSAGE_CREATE", _mention("11014", "What is a VLA model?"))
    (reply,) = discord_bot.settle(1)
    assert reply["message_reference"]["message_id"] == 11014


def test_empty_mention_gets_usage_help(discord_bot: Connected) -> None:
    discord_bot.dispatch("MESSAGE_CREATE", _mention("11020", ""))
    (reply,) = discord_bot.wait("messages", 1)
    assert "mention me with a question" in reply["content"]


@pytest.fixture
def injected(
    loop: LoopThread, fake: FakeDiscord, tmp_path: Path, answers_with_top_passage: None
) -> Iterator[Connected]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.md").write_text(
        "Kling 9 @everyone News\n\n@here Kuaishou shipped Kling 9 with <@&42> 120s clips, "
        "**bold** and [a link](https://evil.example).\n"
    )
    connected = connect(loop, fake, build_bot(settings_for(corpus, tmp_path / "data")))
    yield connected
    disconnect(connected)


def test_mention_injection_in_question_and_article_pings_nobody(injected: Connected) -> None:
    injected.dispatch(
        "MESSAGE_CREATE", _mention("11030", "@everyone how long are Kling 9 clips? <@&42>")
    )
    (reply,) = injected.wait("messages", 1)
    assert reply["allowed_mentions"] == {"parse": [], "replied_user": False}
    text = _text(reply)
    assert "120s" in text
    assert "@everyone" not in text and "@here" not in text and "@\u200bhere" in text
    assert "<@&42>" not in text  # the role mention from the article is inert
    assert "](https://evil.example)" not in text  # no masked link survives


def test_rate_limit_is_a_friendly_note(
    loop: LoopThread, fake: FakeDiscord, seeds_bot: TeamBot
) -> None:
    connected = connect(loop, fake, seeds_bot, rate_limit=1)
    try:
        connected.dispatch("MESSAGE_CREATE", _mention("11040", "What is a VLA model?"))
        connected.dispatch("MESSAGE_CREATE", _mention("11041", "What is a VLA model?"))
        replies = connected.wait("messages", 2)
        notes = [
            r for r in replies if "asking faster than I can keep up" in (r.get("content") or "")
        ]
        assert len(notes) == 1 and notes[0]["message_reference"]["message_id"] == 11041
    finally:
        disconnect(connected)


def test_exception_while_answering_is_a_friendly_reply_and_serving_goes_on(
    discord_bot: Connected, ask_fails_once: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    discord_bot.dispatch("MESSAGE_CREATE", _mention("11050", "What is a VLA model?"))
    discord_bot.dispatch("MESSAGE_CREATE", _mention("11051", "What is a VLA model?"))
    first, second = discord_bot.wait("messages", 2)
    assert "Sorry, something went wrong" in first["content"] and "index exploded" not in _text(
        first
    )
    assert "Vision-language-action" in _text(second)
    assert "index exploded" in caplog.text
