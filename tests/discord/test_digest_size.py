"""A big digest through discord.py and the fake Discord: /digest and scheduled posts
stay under the cap; the "More stories" button shows the next stories, privately."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from adapters.discord.digest_format import MESSAGES
from adapters.discord.more import LABEL, PREFIX
from adapters.discord.server import digest_poster
from bot.digest.schedule import Destination, Schedule
from bot.digest.window import Window, between
from bot.service import TeamBot
from tests.big_digest import big_digest, use_big_digests
from tests.discord.conftest import Connected, connect, disconnect
from tests.discord.fake_discord import APP_ID, BOT, CHANNEL, FakeDiscord, component_payload
from tests.discord.payloads import message_payload
from tests.discord.test_commands import _command
from tests.discord.test_messages import _text
from tests.scheduled_runs import first_run
from tests.slack.fake_slack import LoopThread

NOW = datetime(2026, 2, 14, 8, tzinfo=UTC)
EPHEMERAL = 64


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> list[Window]:
    """1,000 big stories in every digest (the issue's day); the windows asked for."""
    return use_big_digests(monkeypatch, stories=1000)


@pytest.fixture
def discord_big(loop: LoopThread, fake: FakeDiscord, seeds_bot: TeamBot) -> Iterator[Connected]:
    connected = connect(loop, fake, seeds_bot, digest_stories=10)
    yield connected
    disconnect(connected)


def _numbers(messages: list[dict[str, Any]]) -> list[int]:
    return [int(n) for n in re.findall(r"(?m)^(\d+)\. Story \d+", "\n".join(map(_text, messages)))]


def _more_button(message: dict[str, Any]) -> str:
    (row,) = message["components"]
    (button,) = row["components"]
    assert button["type"] == 2 and button["label"] == LABEL
    custom_id = str(button["custom_id"])
    assert custom_id.startswith(PREFIX) and len(custom_id) <= 100
    return custom_id


def _press(connected: Connected, id_: str, message: dict[str, Any]) -> None:
    """Presses the More button under ``message`` (as Discord sends it back to the bot)."""
    pressed = message_payload(
        "31999", CHANNEL, BOT, message.get("content") or "", components=message["components"]
    )
    payload = component_payload(id_, _more_button(message), pressed)
    connected.dispatch("INTERACTION_CREATE", payload)


def test_digest_command_stays_under_the_cap_and_more_continues_privately(
    discord_big: Connected, windows: list[Window]
) -> None:
    _command(discord_big, "31001", "digest", date="2026-02-14")
    first = discord_big.settle(MESSAGES)
    assert len(first) == MESSAGES
    assert {m["path"] for m in first} == {f"webhooks/{APP_ID}/tok-31001"}
    shown = _numbers(first)
    assert shown == list(range(1, len(shown) + 1)) and len(shown) < 1000
    assert first[-1]["content"].endswith(f"…and {1000 - len(shown)} more stories.")
    assert all(not m.get("components") for m in first[:-1])

    _press(discord_big, "31002", first[-1])
    (_, callback) = discord_big.wait("callbacks", 2)
    assert callback == {"type": 5, "data": {"flags": EPHEMERAL}}  # thinking, only for the presser
    page = discord_big.settle(MESSAGES + 1)[MESSAGES:]
    assert 1 <= len(page) <= MESSAGES
    assert {m["path"] for m in page} == {f"webhooks/{APP_ID}/tok-31002"}
    assert all(m["flags"] & EPHEMERAL for m in page)
    assert page[0]["content"].startswith("**Digest for 2026-02-14, continued**")
    following = _numbers(page)
    assert following == list(range(shown[-1] + 1, shown[-1] + 1 + len(following)))
    assert windows[1] == windows[0]  # the same day's digest, rebuilt


def test_key_points_arrive_with_their_source_numbers(
    discord_big: Connected, windows: list[Window]
) -> None:
    _command(discord_big, "31011", "digest")
    first = discord_big.wait("messages", 1)[0]
    description = first["embeds"][0]["description"]
    assert "• Product3 of story 1 shipped release 3 <\u200btoday>. [17]" in description
    assert "[17] [Article 17 about story 1" in _text(first)


def test_a_stale_more_button_is_a_friendly_reply(
    discord_big: Connected, windows: list[Window]
) -> None:
    stale = {
        "content": "",
        "components": [
            {
                "type": 1,
                "components": [
                    {
                        "type": 2,
                        "style": 2,
                        "label": LABEL,
                        "custom_id": PREFIX + "d:2026-02-30:2026-03-01:40",
                    }
                ],
            }
        ],
    }
    _press(discord_big, "31021", stale)
    (reply,) = discord_big.wait("messages", 1)
    assert reply["flags"] & EPHEMERAL
    assert reply["content"].startswith("Sorry: that button is out of date")
    assert windows == []


def test_scheduled_digest_stays_under_the_cap_with_a_more_button(
    discord_big: Connected,
) -> None:
    huge = big_digest(between(NOW, NOW), stories=1000)
    post = digest_poster(discord_big.clients, digest_stories=10)
    destination = Destination("discord", CHANNEL, Schedule(NOW.time(), ZoneInfo("UTC")))
    post(destination, huge, first_run(NOW))
    messages = discord_big.settle(MESSAGES)
    assert len(messages) == MESSAGES
    assert {m["path"] for m in messages} == {f"channels/{CHANNEL}/messages"}
    shown = _numbers(messages)
    assert shown == list(range(1, len(shown) + 1)) and len(shown) < 1000
    assert _more_button(messages[-1]).endswith(f":{len(shown)}")
