"""Fixtures: the fake Discord, and teambot's Discord adapter connected to it."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from adapters.discord.client import TeamBotClient
from adapters.discord.server import serve
from adapters.discord.settings import DiscordSettings
from bot.service import TeamBot
from bot.settings import DIGEST_STORIES
from tests.discord.fake_discord import DM, FakeDiscord
from tests.discord.payloads import message_payload
from tests.slack.conftest import live
from tests.slack.fake_slack import LoopThread

TOKEN = "good.discord.token.12345"
# The fake sends its one GUILD_CREATE right behind READY, on the same socket, so it is
# read before any event a test dispatches: discord.py need not wait its default 2 s for
# more guilds before on_ready (16 fixtures connect; 2 s each was half a minute).
GUILD_READY_TIMEOUT = 0.05
#: Who sends the sentinel question of ``Connected.settle`` (not the asker the tests
#: rate-limit), and the message ids it uses (none a test uses).
SENTINEL_ASKER = {"id": "250", "username": "sentinel", "discriminator": "0", "avatar": None}
SENTINEL_IDS = itertools.count(990_001)
SENTINEL_QUESTION = "What did ByteDance ship?"


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

    def settle(self, count: int, timeout: float = 20) -> list[dict[str, Any]]:
        """The messages once ``count`` arrived and nothing more is on its way.

        A sentinel question (a DM) goes behind everything dispatched so far, through the
        same gateway, handler, worker pool and REST client; once its reply is recorded
        and no client has a job left (an answer or its delivery), no earlier event can
        still produce a message. The sentinel's reply and its REST call are then taken
        out of what the fake recorded, so the test sees only its own traffic.
        """
        self.wait("messages", count, timeout)
        sentinel = next(SENTINEL_IDS)
        question = message_payload(
            str(sentinel), DM, SENTINEL_ASKER, SENTINEL_QUESTION, guild=False
        )
        self.dispatch("MESSAGE_CREATE", question)

        def is_sentinel(message: dict[str, Any]) -> bool:
            return message.get("message_reference", {}).get("message_id") == sentinel

        async def idle() -> None:
            async with self.fake.changed:
                await self.fake.changed.wait_for(lambda: any(map(is_sentinel, self.fake.messages)))
            while any(client.pool.pending for client in self.clients):
                await asyncio.sleep(0.01)  # polls a condition: no job left in any pool
            self.fake.messages[:] = [m for m in self.fake.messages if not is_sentinel(m)]
            self.fake.calls[:] = [
                c for c in self.fake.calls if not (isinstance(c[2], dict) and is_sentinel(c[2]))
            ]

        self.loop.run(asyncio.wait_for(idle(), timeout), timeout + 5)
        return list(self.fake.messages)


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
