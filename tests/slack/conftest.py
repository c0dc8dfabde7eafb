"""Fixtures: the fake Slack, and teambot's Slack adapter running against it."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from unittest import mock
from urllib.parse import urlencode

import pytest

from adapters.slack import server
from adapters.slack.server import serve
from adapters.slack.settings import SlackSettings
from bot.service import TeamBot
from bot.settings import DIGEST_STORIES
from tests.digest.conftest import _free_port
from tests.slack.fake_slack import FakeSlack, LoopThread, sign

SECRET = "test-signing-secret-1234"
BOT_TOKEN = "xoxb-test-bot-token-5678"
APP_TOKEN = "xapp-test-app-token-9012"
#: The channel and user of ``Running.settle``'s sentinel mention (none a test uses),
#: its question, and the numbers its event ids and timestamps take.
SENTINEL_CHANNEL, SENTINEL_USER = "CSENTINEL", "USENTINEL"
SENTINEL_QUESTION = "What did ByteDance ship?"
SENTINEL_IDS = itertools.count(990_001)


@pytest.fixture
def fake(loop: LoopThread) -> Iterator[FakeSlack]:
    slack = FakeSlack()
    loop.run(slack.start())
    yield slack
    loop.run(slack.stop())


def live(bot: TeamBot) -> TeamBot:
    return bot


def slack_settings(fake: FakeSlack, **extra: Any) -> SlackSettings:
    values: dict[str, Any] = {
        "bot_token": BOT_TOKEN,
        "signing_secret": SECRET,
        "api_url": fake.api_url,
        "_env_file": None,
        **extra,
    }
    return SlackSettings(**values)


@dataclass
class Running:
    """The adapter serving in the loop thread."""

    loop: LoopThread
    fake: FakeSlack
    port: int
    stop: asyncio.Event
    task: asyncio.Future[None]
    socket_mode: bool = False
    pools: list[Any] = field(default_factory=list)  # the adapter's WorkerPool

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def post(
        self,
        body: str,
        *,
        content_type: str,
        headers: dict[str, str] | None = None,
        signed: bool = True,
    ) -> tuple[int, str, float]:
        """POSTs to /slack/events; returns (status, body, seconds taken)."""
        all_headers = {"Content-Type": content_type, **(sign(body, SECRET) if signed else {})}
        all_headers.update(headers or {})
        request = urllib.request.Request(self.events_url, body.encode(), all_headers, method="POST")
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode(), time.monotonic() - started
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), time.monotonic() - started

    def command(
        self, command: str, text: str, user: str = "U1", **headers: str
    ) -> tuple[int, str, float]:
        body = urlencode(
            {
                "command": command,
                "text": text,
                "user_id": user,
                "user_name": "ann",
                "channel_id": "C1",
                "channel_name": "news",
                "team_id": "T1",
                "response_url": self.fake.response_url(),
                "trigger_id": "trig",
                "api_app_id": "A1",
                "token": "legacy",
            }
        )
        return self.post(body, content_type="application/x-www-form-urlencoded", headers=headers)

    def event(
        self, event: dict[str, Any], event_id: str = "Ev1", **headers: str
    ) -> tuple[int, str, float]:
        body = json.dumps(
            {
                "type": "event_callback",
                "team_id": "T1",
                "api_app_id": "A1",
                "event_id": event_id,
                "event_time": int(time.time()),
                "event": event,
                "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
            }
        )
        return self.post(body, content_type="application/json", headers=headers)

    def wait(self, what: str, count: int, timeout: float = 20) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.loop.run(
            self.fake.wait_for(what, count, timeout), timeout + 5
        )
        return result

    def settle(self, what: str, count: int, timeout: float = 20) -> list[dict[str, Any]]:
        """``what`` the fake recorded once ``count`` arrived and nothing more is on its way.

        A sentinel mention goes behind everything sent so far, through the same
        endpoint, listener, worker pool and Web API client; once its reply is posted
        and the pool has no job left (an answer and its delivery are one job), no
        earlier request can still produce a message. The sentinel's post and API call
        are then taken out of what the fake recorded.
        """
        self.wait(what, count, timeout)
        number = next(SENTINEL_IDS)
        mention = {
            "type": "app_mention",
            "user": SENTINEL_USER,
            "text": f"<@UBOT> {SENTINEL_QUESTION}",
            "channel": SENTINEL_CHANNEL,
            "ts": f"{number}.1",
        }
        refuse_after, self.fake.refuse_after = self.fake.refuse_after, None
        try:
            if self.socket_mode:
                payload = {"type": "event_callback", "team_id": "T1", "event": mention}
                payload |= {"api_app_id": "A1", "event_id": f"EvSentinel{number}"}
                self.loop.run(self.fake.send_envelope("events_api", payload))
            else:
                self.event(mention, event_id=f"EvSentinel{number}")
            self.loop.run(asyncio.wait_for(self._idle(), timeout), timeout + 5)
        finally:
            self.fake.refuse_after = refuse_after
        return list(getattr(self.fake, what))

    async def _idle(self) -> None:
        def sentinel(params: dict[str, Any]) -> bool:
            return params.get("channel") == SENTINEL_CHANNEL

        async with self.fake.changed:
            await self.fake.changed.wait_for(lambda: any(map(sentinel, self.fake.posts)))
        while any(pool.pending for pool in self.pools):
            await asyncio.sleep(0.01)  # polls a condition: no job left in the pool
        self.fake.posts[:] = [p for p in self.fake.posts if not sentinel(p)]
        self.fake.calls[:] = [c for c in self.fake.calls if not sentinel(c[1])]


def start(
    loop: LoopThread,
    fake: FakeSlack,
    bot: TeamBot,
    settings: SlackSettings,
    digest_stories: int = DIGEST_STORIES,
) -> Running:
    port = _free_port()
    pools: list[Any] = []
    make_pool = server.WorkerPool  # a test may have put a smaller one in its place

    def recorded_pool(*args: Any) -> Any:
        pools.append(make_pool(*args))
        return pools[-1]

    async def go() -> tuple[asyncio.Event, asyncio.Future[None]]:
        stop, ready = asyncio.Event(), asyncio.Event()
        task = asyncio.ensure_future(
            serve(
                bot,
                settings,
                host="127.0.0.1",
                port=port,
                digest_stories=digest_stories,
                stop=stop,
                ready=ready,
            )
        )
        waiter = asyncio.ensure_future(ready.wait())
        await asyncio.wait({task, waiter}, timeout=20, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()
        waiter.cancel()
        return stop, task

    with mock.patch.object(server, "WorkerPool", recorded_pool):  # serve() makes it at once
        stop, task = loop.run(go())
    return Running(loop, fake, port, stop, task, settings.app_token is not None, pools)


def shutdown(running: Running) -> None:
    async def go() -> None:
        running.stop.set()
        await asyncio.wait_for(running.task, 20)

    running.loop.run(go())


@pytest.fixture
def http(loop: LoopThread, fake: FakeSlack, seeds_bot: TeamBot) -> Iterator[Running]:
    running = start(loop, fake, live(seeds_bot), slack_settings(fake))
    yield running
    shutdown(running)
