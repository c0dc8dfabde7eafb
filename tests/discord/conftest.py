"""Fixtures: the fake Discord, and teambot's Discord adapter connected to it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from adapters.discord.client import TeamBotClient
from adapters.discord.server import serve
from adapters.discord.settings import DiscordSettings
from bot.service import TeamBot
from bot.settings import DIGEST_STORIES
from tests.discord.fake_discord import FakeDiscord
from tests.slack.conftest import live
from tests.slack.fake_slack import LoopThread

TOKEN = "good.discord.token.12345"
# The fake sends its one GUILD_CREATE right behind READY, on the same socket, so it is
# read before any event a test dispatches: discord.py need not wait its default 2 s for
# more guilds before on_ready (16 fixtures connect; 2 s each was half a minute).
GUILD_READY_TIMEOUT = 0.05


@pytest.fixture
def fake(loop: LoopThread) -> Iterator[FakeDiscord]:
    server = FakeDiscord()
    loop.run(server.start())
    yield server
    loop.run(server.stop())


def discord_settings(fake: FakeDiscord, **extra: Any) -> DiscordSettings:
    values: dict[str, Any] = {
        "token": TOKEN,
        "api_url": fake.api_url,
        "gateway_url": fake.gateway_url,
        "guild_ready_timeout": GUILD_READY_TIMEOUT,
        "_env_file": None,
        **extra,
    }
    return DiscordSettings(**values)


@dataclass
class Connected:
    loop: LoopThread
    fake: FakeDiscord
    stop: asyncio.Event
    task: asyncio.Future[None]
    clients: list[TeamBotClient] = field(default_factory=list)

    def dispatch(self, event: str, data: dict[str, Any], seq: int | None = None) -> int:
        return int(self.loop.run(self.fake.dispatch(event, data, seq=seq)))

    def wait(self, what: str, count: int, timeout: float = 20) -> list[Any]:
        result: list[Any] = self.loop.run(self.fake.wait_for(what, count, timeout), timeout + 5)
        return result


def connect(
    loop: LoopThread,
    fake: FakeDiscord,
    bot: TeamBot,
    digest_stories: int = DIGEST_STORIES,
    **extra: Any,
) -> Connected:
    clients: list[TeamBotClient] = []

    async def go() -> tuple[asyncio.Event, asyncio.Future[None]]:
        stop, ready = asyncio.Event(), asyncio.Event()
        task = asyncio.ensure_future(
            serve(
                live(bot),
                discord_settings(fake, **extra),
                digest_stories=digest_stories,
                stop=stop,
                ready=ready,
                started=clients,
            )
        )
        waiter = asyncio.ensure_future(ready.wait())
        await asyncio.wait({task, waiter}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()
        waiter.cancel()
        if not ready.is_set():
            raise AssertionError("the Discord client never became ready")
        return stop, task

    stop, task = loop.run(go(), 40)
    return Connected(loop, fake, stop, task, clients)


def disconnect(connected: Connected) -> None:
    async def go() -> None:
        connected.stop.set()
        await asyncio.wait_for(connected.task, 20)

    connected.loop.run(go(), 30)


@pytest.fixture
def discord_bot(loop: LoopThread, fake: FakeDiscord, seeds_bot: TeamBot) -> Iterator[Connected]:
    connected = connect(loop, fake, seeds_bot)
    yield connected
    disconnect(connected)
