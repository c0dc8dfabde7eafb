"""`teambot discord` as a process: tokens, scheduled digests, clean stop; and the poster."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from adapters.discord.server import digest_poster
from bot.digest.schedule import Destination, Schedule
from bot.digest.window import whole_days
from bot.service import TeamBot
from tests.discord.conftest import GUILD_READY_TIMEOUT, TOKEN, Connected
from tests.discord.fake_discord import APP_ID, BAD_TOKEN, FakeDiscord, interaction_payload
from tests.discord.test_messages import _text
from tests.scheduled_runs import first_run, seen_before
from tests.slack.fake_slack import LoopThread
from tests.unrelated_corpus import ARTICLES, DAY, write_unrelated_corpus


def _environ(extra: dict[str, str]) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "TEAMBOT_"))}
    return {**environ, "DISCORD_GUILD_READY_TIMEOUT": str(GUILD_READY_TIMEOUT), **extra}


def _start_bot(env: dict[str, str]) -> subprocess.Popen[str]:
    """``teambot discord`` as its own process, with ``env`` over a clean environment."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "discord"],
        env=_environ(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.usefixtures("cached_index")  # tmp_path: the seeds' index, cached
def test_missing_token_exits_2_naming_it(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bot", "discord"],
        capture_output=True,
        text=True,
        env=_environ({"TEAMBOT_DATA_DIR": str(tmp_path)}),
        timeout=60,
    )
    assert out.returncode == 2 and "DISCORD_TOKEN is not set" in out.stderr


@pytest.mark.usefixtures("cached_index")  # tmp_path: the seeds' index, cached
def test_rejected_token_exits_2_without_showing_it(fake: FakeDiscord, tmp_path: Path) -> None:
    env = {
        "DISCORD_TOKEN": BAD_TOKEN,
        "DISCORD_API_URL": fake.api_url,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "TEAMBOT_DATA_DIR": str(tmp_path),
        "TEAMBOT_LOG_LEVEL": "DEBUG",
    }
    out = subprocess.run(
        [sys.executable, "-m", "bot", "discord"],
        capture_output=True,
        text=True,
        env=_environ(env),
        timeout=60,
    )
    assert out.returncode == 2, out.stderr
    assert "Discord rejected DISCORD_TOKEN (401 Unauthorized)" in out.stderr
    assert BAD_TOKEN not in out.stderr + out.stdout and "Traceback" not in out.stderr


@pytest.mark.usefixtures("cached_index")  # tmp_path: the seeds' index, cached
def test_bad_digest_channel_is_refused_at_start(tmp_path: Path) -> None:
    env = {
        "DISCORD_TOKEN": TOKEN,
        "DISCORD_DIGEST_CHANNELS": "news",
        "TEAMBOT_DATA_DIR": str(tmp_path),
    }
    out = subprocess.run(
        [sys.executable, "-m", "bot", "discord"],
        capture_output=True,
        text=True,
        env=_environ(env),
        timeout=60,
    )
    assert out.returncode == 2 and "'news' is not a channel id" in out.stderr


def test_poster_sends_the_digest_to_its_channel(discord_bot: Connected, seeds_bot: TeamBot) -> None:
    digest = seeds_bot.digest(whole_days(date(2026, 2, 14), date(2026, 2, 14), ZoneInfo("UTC")))
    post = digest_poster(discord_bot.clients, digest_stories=10)
    destination = Destination("discord", "600", Schedule(datetime.min.time(), ZoneInfo("UTC")))
    run = first_run(datetime(2026, 2, 14, 8, 0, tzinfo=UTC))
    post(destination, digest, run)  # from this (non-loop) thread, as the scheduler does
    (message,) = discord_bot.wait("messages", 1)
    assert message["path"] == "channels/600/messages" and message["allowed_mentions"] == {
        "parse": []
    }
    assert "Digest for 2026-02-14: 1 story" in _text(message)


def test_poster_before_connecting_fails_so_the_scheduler_retries() -> None:
    from bot.errors import BotError

    with pytest.raises(BotError, match="not connected"):
        digest_poster([], digest_stories=10)(
            Destination("discord", "1", Schedule(datetime.min.time(), ZoneInfo("UTC"))),
            None,  # type: ignore[arg-type]
            first_run(datetime(2026, 2, 14, 8, 0, tzinfo=UTC)),
        )


@pytest.mark.usefixtures("cached_index")  # tmp_path: the seeds' index, cached
def test_discord_process_posts_the_scheduled_digest_and_stops_cleanly(
    fake: FakeDiscord, loop: LoopThread, tmp_path: Path
) -> None:
    due = datetime.now(UTC) - timedelta(minutes=1)
    seen_before(due, tmp_path)
    env = {
        "DISCORD_TOKEN": TOKEN,
        "DISCORD_API_URL": fake.api_url,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "DISCORD_DIGEST_CHANNELS": f"600@{due:%H:%M} UTC daily",
        "TEAMBOT_DATA_DIR": str(tmp_path),
        "TEAMBOT_LOG_LEVEL": "DEBUG",
    }
    proc = _start_bot(env)
    try:
        (message,) = loop.run(fake.wait_for("messages", 1, timeout=60), 70)
        assert message["path"] == "channels/600/messages" and "Digest since" in _text(message)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert len(fake.messages) == 1  # counted once the process is gone: nothing more can come
    assert "invite it with https://discord.com/oauth2/authorize?client_id=900" in err
    assert "scope=bot+applications.commands" in err
    assert TOKEN not in out + err and "Traceback" not in err


def test_discord_process_shows_teambot_digest_stories_in_full(
    fake: FakeDiscord, loop: LoopThread, tmp_path: Path
) -> None:
    due = datetime.now(UTC) - timedelta(minutes=1)
    corpus = write_unrelated_corpus(tmp_path / "corpus")
    seen_before(due, tmp_path / "data", corpus)
    env = {
        "DISCORD_TOKEN": TOKEN,
        "DISCORD_API_URL": fake.api_url,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "DISCORD_DIGEST_CHANNELS": f"600@{due:%H:%M} UTC daily",
        "TEAMBOT_CORPUS": str(corpus),
        "TEAMBOT_DATA_DIR": str(tmp_path / "data"),
        "TEAMBOT_DIGEST_STORIES": "1",
    }
    proc = _start_bot(env)
    try:
        (posted,) = loop.run(fake.wait_for("messages", 1, timeout=60), 70)
        options = [{"name": "date", "type": 3, "value": DAY}]
        loop.run(
            fake.dispatch("INTERACTION_CREATE", interaction_payload("41001", "digest", options))
        )
        replied = loop.run(fake.wait_for("messages", 2, timeout=30), 40)[1]
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert replied["path"] == f"webhooks/{APP_ID}/tok-41001"
    for message in (posted, replied):  # the scheduled digest, and a /digest reply
        full, brief = message["embeds"]
        assert full["title"].startswith("1. ")  # one story in full
        lines = brief["description"].split("\n")  # then one line for each other story
        assert "title" not in brief and len(lines) == len(ARTICLES) - 1
        assert all(line.startswith(f"{n}. ") for n, line in enumerate(lines, 2))
        assert all(line.endswith(" (1 source)") for line in lines)
