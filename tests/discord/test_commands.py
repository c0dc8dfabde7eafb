"""Slash commands deferred at once and answered by follow-ups; sync; reconnect with RESUME."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.service import TeamBot
from tests.discord.conftest import Connected, connect, disconnect
from tests.discord.fake_discord import APP_ID, GUILD, FakeDiscord, interaction_payload
from tests.discord.test_messages import _mention, _text
from tests.held_answers import HeldAnswers
from tests.slack.fake_slack import LoopThread


def _command(connected: Connected, id_: str, name: str, **options: str) -> None:
    opts = [{"name": k, "type": 3, "value": v} for k, v in options.items()]
    connected.dispatch("INTERACTION_CREATE", interaction_payload(id_, name, opts))


def test_ask_is_deferred_then_answered_by_a_follow_up(discord_bot: Connected) -> None:
    _command(discord_bot, "21001", "ask", question="How many parameters does RynnBrain have?")
    (callback,) = discord_bot.wait("callbacks", 1)
    assert callback["type"] == 5  # deferred, "thinking"
    (follow_up,) = discord_bot.wait("messages", 1)
    assert follow_up["path"] == f"webhooks/{APP_ID}/tok-21001"
    assert follow_up["allowed_mentions"] == {"parse": []}
    assert "30-billion-parameter" in _text(follow_up)


def test_not_sure_answer_arrives_as_quoted_fields(discord_bot: Connected) -> None:
    _command(discord_bot, "21002", "ask", question="What did ByteDance ship?")
    (follow_up,) = discord_bot.wait("messages", 1)
    (embed,) = follow_up["embeds"]
    assert embed["description"].startswith("I couldn't find a direct answer")
    first = embed["fields"][0]
    assert first["name"] == "Closest passage 1"
    assert first["value"].startswith("> ByteDance shipped Seedance 2.0")


def test_interaction_is_deferred_while_its_answer_is_still_being_worked_on(
    discord_bot: Connected, held: HeldAnswers
) -> None:
    # The answer cannot finish until this test has its deferral: a deferral that
    # waited behind the answer would never come. (Discord's 3-second deadline is a
    # timing goal: bench/load.py measures it.)
    _command(discord_bot, "21002", "ask", question="Who is Billy Boman?")
    (callback,) = discord_bot.wait("callbacks", 1)
    assert callback["type"] == 5 and held.wait_started(1) == ["Who is Billy Boman?"]
    assert discord_bot.fake.messages == []
    held.release()
    (follow_up,) = discord_bot.wait("messages", 1)
    assert "advertising agency" in _text(follow_up)


def test_digest_and_sources_commands(discord_bot: Connected) -> None:
    _command(discord_bot, "21003", "digest", date="2026-02-14")
    _command(discord_bot, "21004", "sources")
    _command(discord_bot, "21005", "digest", date="someday")
    messages = discord_bot.wait("messages", 3)
    assert len(discord_bot.fake.callbacks) == 3
    texts = " | ".join(_text(m) for m in messages)
    assert "Digest for 2026-02-14: 1 story" in texts
    assert "5 articles" in texts
    assert "Sorry: invalid date 'someday'" in texts


def test_commands_are_synced_globally_by_default(discord_bot: Connected) -> None:
    puts = [c for c in discord_bot.fake.calls if c[0] == "PUT"]
    assert [p[1] for p in puts] == [f"applications/{APP_ID}/commands"]
    assert sorted(c["name"] for c in puts[0][2]) == ["ask", "digest", "sources"]
    ask = next(c for c in puts[0][2] if c["name"] == "ask")
    assert ask["options"][0]["name"] == "question" and ask["options"][0]["required"] is True


@pytest.fixture
def guild_bot(loop: LoopThread, fake: FakeDiscord, seeds_bot: TeamBot) -> Iterator[Connected]:
    connected = connect(loop, fake, seeds_bot, guild_id=int(GUILD))
    yield connected
    disconnect(connected)


def test_commands_sync_to_one_server_when_configured(guild_bot: Connected) -> None:
    puts = [c[1] for c in guild_bot.fake.calls if c[0] == "PUT"]
    assert puts == [f"applications/{APP_ID}/guilds/{GUILD}/commands"]


def test_heartbeats_are_sent_and_acknowledged(discord_bot: Connected) -> None:
    assert discord_bot.fake.heartbeats >= 1  # discord.py beats once right after HELLO
    discord_bot.dispatch("MESSAGE_CREATE", _mention("21009", "What is a VLA model?"))
    assert discord_bot.wait("messages", 1)  # still connected after the ACKs


def test_reconnect_resumes_and_never_answers_twice(discord_bot: Connected) -> None:
    seq = discord_bot.dispatch("MESSAGE_CREATE", _mention("21010", "What is a VLA model?"))
    discord_bot.wait("messages", 1)
    discord_bot.loop.run(discord_bot.fake.force_reconnect())
    (resume,) = discord_bot.wait("resumes", 1, timeout=30)
    assert resume["session_id"] == "session-1" and resume["seq"] >= seq
    assert discord_bot.fake.identifies == 1  # resumed, not a new session
    # Discord replays what the client may have missed: the same message again.
    discord_bot.dispatch("MESSAGE_CREATE", _mention("21010", "What is a VLA model?"), seq=seq)
    discord_bot.dispatch("MESSAGE_CREATE", _mention("21011", "Who is Billy Boman?"))
    messages = discord_bot.settle(2)
    assert [m["message_reference"]["message_id"] for m in messages] == [
        21010,
        21011,
    ]
    assert "advertising agency" in _text(messages[1])
