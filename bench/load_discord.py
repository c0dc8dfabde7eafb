"""The Discord half of ``bench/load.py``: mentions and ``/ask`` interactions dispatched
at once through the fake gateway; each deferral timed from its dispatch."""

from __future__ import annotations

import asyncio
import json
import random
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from aiohttp import web

from adapters.wording import BUSY
from bench.load_tools import machine, questions, report, start_bot, wait_until
from tests.discord.fake_discord import (
    APP_ID,
    ASKER,
    BOT,
    CHANNEL,
    FakeDiscord,
    interaction_payload,
    message_payload,
)

DEFERRED = 5  # the callback type of a deferral ("thinking"); a busy note is a message (4)
ANSWER_PATIENCE = 120.0  # stop waiting for answers after this long without a new one


class TimedDiscord(FakeDiscord):
    """The fake Discord, noting when each interaction callback arrives, and its type."""

    def __init__(self) -> None:
        super().__init__()
        self.callback_at: dict[str, tuple[float, int]] = {}

    async def _rest(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        response = await super()._rest(request)
        path = request.match_info["path"]
        if path.startswith("interactions/") and path.endswith("/callback"):
            assert isinstance(response.body, bytes)
            kind = int(json.loads(response.body)["resource"]["type"])  # the fake echoes it
            self.callback_at[path.split("/")[1]] = (arrived, kind)
        return response


def user(n: int) -> dict[str, Any]:
    """An asker of their own, so the per-user rate limit turns none away."""
    return {**ASKER, "id": str(10_000 + n), "username": f"user{n}"}


def mention(id_: str, text: str, n: int) -> dict[str, Any]:
    return message_payload(id_, CHANNEL, user(n), f"<@{BOT['id']}> {text}", mentions=[BOT])


def ask(id_: str, text: str, n: int) -> dict[str, Any]:
    data = interaction_payload(id_, "ask", [{"name": "question", "type": 3, "value": text}])
    data["member"] = {**data["member"], "user": user(n)}
    return data


def delivered(fake: FakeDiscord) -> tuple[Counter[str], set[str]]:
    """Answer messages per question (a follow-up's interaction id, a reply's message
    id), and the mentions whose reply said teambot is busy."""
    answers: Counter[str] = Counter()
    busy: set[str] = set()
    for message in fake.messages:
        path = str(message["path"])
        if path.startswith(f"webhooks/{APP_ID}/tok-"):
            answers[path.rsplit("-", 1)[1]] += 1
        elif reference := message.get("message_reference"):
            key = str(reference["message_id"])
            if message.get("content") == BUSY:
                busy.add(key)
            else:
                answers[key] += 1
    return answers, busy


async def discord(checkout: Path, mentions: int, interactions: int) -> None:
    fake = TimedDiscord()
    await fake.start()
    with tempfile.TemporaryDirectory() as data:
        env = {
            "DISCORD_TOKEN": "bench.discord.token",
            "DISCORD_API_URL": fake.api_url,
            "DISCORD_GATEWAY_URL": fake.gateway_url,
            "TEAMBOT_DATA_DIR": data,
        }
        bot = start_bot(checkout, "discord", env)
        try:
            await asyncio.wait_for(fake.connected.wait(), 300)
            await fake.wait_for("commands", 1, timeout=60)
            sizes = await warm_up(fake)
            await flood(fake, mentions, interactions, sizes)
        finally:
            bot.terminate()
            bot.wait(30)
            await fake.stop()


async def warm_up(fake: TimedDiscord) -> dict[str, int]:
    """Asks each question once: how many messages each answer has."""
    sizes: dict[str, int] = {}
    for n, text in enumerate(questions()):
        id_ = str(20_000 + n)
        before = len(fake.messages)
        await fake.dispatch("INTERACTION_CREATE", ask(id_, text, 90_000 + n))
        await fake.wait_for("messages", before + 1, timeout=120)
        await asyncio.sleep(0.3)  # the rest of an answer of several messages
        sizes[text] = delivered(fake)[0][id_]
    return sizes


async def flood(
    fake: TimedDiscord, mentions: int, interactions: int, sizes: dict[str, int]
) -> None:
    texts = list(sizes)
    kinds = ["INTERACTION_CREATE"] * interactions + ["MESSAGE_CREATE"] * mentions
    random.Random(1).shuffle(kinds)
    events, want = [], {}
    for n, kind in enumerate(kinds):
        id_, text = str(100_000 + n), texts[n % len(texts)]
        events.append((kind, (ask if kind == "INTERACTION_CREATE" else mention)(id_, text, n)))
        want[id_] = sizes[text]
    before, _ = delivered(fake)
    print(f"({machine()})")
    sent: dict[str, float] = {}
    for kind, payload in events:
        if kind == "INTERACTION_CREATE":
            sent[payload["id"]] = time.monotonic()
        await fake.dispatch(kind, payload)
    callbacks = fake.callback_at
    await wait_until(lambda: sent.keys() <= callbacks.keys(), 60, lambda: len(callbacks))
    deferrals = [callbacks[key][0] - at for key, at in sent.items() if key in callbacks]
    deferred = {key for key in sent if callbacks.get(key, (0.0, 0))[1] == DEFERRED}

    def state() -> tuple[Counter[str], set[str]]:
        answers, busy = delivered(fake)
        # A mention has no ack: one is accepted unless its reply says busy.
        return answers - before, deferred | {k for k in want if k not in sent and k not in busy}

    await wait_until(
        lambda: all(state()[0][k] >= want[k] for k in state()[1]),
        ANSWER_PATIENCE,
        lambda: len(fake.messages),
    )
    await asyncio.sleep(2)  # anything answered twice arrives by now
    got, accepted = state()
    report(f"Discord ({mentions} mentions + {interactions} /ask)", deferrals, accepted, got, want)
    print(f"  deferrals (or busy notes) received: {len(deferrals)} of {len(sent)}")
