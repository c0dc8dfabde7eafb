"""Acknowledgement latency under load: the real ``teambot slack`` and ``teambot discord``
processes, flooded through the fake platform servers of the tests on 127.0.0.1.

Slack (HTTP mode): ``--commands`` signed ``/ask`` slash commands are sent at once,
each from its own user (so the per-user rate limit turns none away). An ack is the
HTTP response, timed from the moment its request was written; an empty ack accepts
the question, an ack with text tells the asker teambot is busy.

Discord (``bench/load_discord.py``): ``--messages`` mentions and ``--interactions``
``/ask`` interactions, shuffled, are dispatched at once through the fake gateway.
A deferral is the interaction callback the fake receives, timed from the dispatch.

Then it waits until every accepted question is answered and checks the counts: each
accepted question gets exactly the messages its answer has (measured one question
at a time before the flood), and none told busy gets an answer.

Usage: ``python bench/load.py slack [--commands 2000]`` or
``python bench/load.py discord [--messages 1000] [--interactions 500]``. Before the
platform: ``--checkout DIR`` runs the teambot of another source tree (e.g. ``git
archive`` of an older commit, for before-and-after figures); ``--acks-only`` (Slack)
stops after the acks. Figures are wall-clock times on a machine others may be using:
each run prints the load average, and the teambot process's CPU time while acking.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_tools import (  # noqa: E402
    ROOT,
    cpu_seconds,
    flood,
    free_port,
    machine,
    percentiles,
    questions,
    report,
    request_bytes,
    start_bot,
    wait_until,
)
from tests.slack.fake_slack import FakeSlack, sign  # noqa: E402

SECRET = "bench-signing-secret"
EVENTS_PATH = "/slack/events"
ANSWER_PATIENCE = 120.0  # stop waiting for answers after this long without a new one


def slash_command(fake: FakeSlack, text: str, user: str) -> tuple[str, str]:
    """A ``/ask`` form body; returns it and the id of its response_url."""
    url = fake.response_url()
    body = urlencode(
        {
            "command": "/ask",
            "text": text,
            "user_id": user,
            "channel_id": "C1",
            "team_id": "T1",
            "response_url": url,
            "trigger_id": "trig",
            "api_app_id": "A1",
        }
    )
    return body, url.rsplit("/", 1)[1]


def signed(body: str) -> dict[str, str]:
    return {"Content-Type": "application/x-www-form-urlencoded", **sign(body, SECRET)}


def answered(fake: FakeSlack) -> Counter[str]:
    """Messages each response_url received."""
    return Counter(str(r["_url"]) for r in fake.responses)


async def slack(checkout: Path, commands: int, answers: bool) -> None:
    fake = FakeSlack()
    await fake.start()
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url,
            "TEAMBOT_DATA_DIR": data,
        }
        bot = start_bot(checkout, "slack", env, "--port", str(port), "--host", "127.0.0.1")
        try:
            sizes = await slack_warm_up(fake, f"http://127.0.0.1:{port}{EVENTS_PATH}")
            await slack_flood(fake, port, commands, sizes, bot.pid, answers)
        finally:
            bot.terminate()
            bot.wait(30)
            await fake.stop()


async def slack_warm_up(fake: FakeSlack, events: str) -> dict[str, int]:
    """Waits until the bot listens, then asks each question once: how many messages
    each answer has (and the models are loaded before the flood)."""
    async with aiohttp.ClientSession() as session:

        async def post(body: str) -> None:
            async with session.post(events, data=body.encode(), headers=signed(body)) as reply:
                if reply.status != 200:
                    raise RuntimeError(f"HTTP {reply.status}")

        for _ in range(600):
            try:
                await post(slash_command(fake, "help", "U0")[0])
                break
            except (aiohttp.ClientError, RuntimeError):
                await asyncio.sleep(0.2)
        sizes: dict[str, int] = {}
        for n, text in enumerate(questions()):
            body, url = slash_command(fake, text, f"W{n}")
            before = len(fake.responses)
            await post(body)
            await fake.wait_for("responses", before + 1, timeout=120)
            await asyncio.sleep(0.3)  # the rest of an answer of several messages
            sizes[text] = answered(fake)[url]
    return sizes


async def slack_flood(
    fake: FakeSlack, port: int, commands: int, sizes: dict[str, int], pid: int, answers: bool
) -> None:
    texts = list(sizes)
    bodies = [slash_command(fake, texts[n % len(texts)], f"U{n}") for n in range(commands)]
    want = {url: sizes[texts[n % len(texts)]] for n, (_, url) in enumerate(bodies)}
    before = answered(fake)
    requests = [request_bytes(port, EVENTS_PATH, body, signed(body)) for body, _ in bodies]
    spawn = multiprocessing.get_context("spawn")
    print(f"({machine()})")
    with ProcessPoolExecutor(1, mp_context=spawn) as flooder:
        await asyncio.get_running_loop().run_in_executor(flooder, time.sleep, 0)  # started
        cpu = cpu_seconds(pid)
        results = await asyncio.get_running_loop().run_in_executor(flooder, flood, port, requests)
        cpu = cpu_seconds(pid) - cpu
    if bad := [status for _, status, _ in results if status != 200]:
        raise RuntimeError(f"{len(bad)} requests failed, e.g. HTTP {bad[0]}")
    accepted = {url for (_, url), (_, _, ack) in zip(bodies, results, strict=True) if not ack}
    acks = [took for took, _, _ in results]
    if not answers:
        print(
            f"Slack /ask: {commands} in flight; ack {percentiles(acks)}; accepted {len(accepted)}"
        )
        print(f"  teambot's CPU time while acking: {cpu:.2f} s")
        return
    started = time.monotonic()

    def got() -> Counter[str]:
        return answered(fake) - before

    await wait_until(
        lambda: all(got()[url] >= want[url] for url in accepted),
        ANSWER_PATIENCE,
        lambda: len(fake.responses),
    )
    drained = time.monotonic() - started
    await asyncio.sleep(2)  # anything answered twice arrives by now
    report("Slack /ask", acks, accepted, got(), want)
    print(
        f"  teambot's CPU time while acking: {cpu:.2f} s ({cpu / commands * 1000:.2f} ms a request)"
    )
    rate = len(accepted) / drained if drained else 0.0
    print(f"  answers done {drained:.1f} s after the last ack ({rate:.1f} answers/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, default=ROOT, help="teambot source tree to run")
    parser.add_argument(
        "--acks-only", action="store_true", help="Slack: stop after the acks, answer nothing"
    )
    sub = parser.add_subparsers(dest="platform", required=True)
    slack_args = sub.add_parser("slack", help="slash commands over HTTP")
    slack_args.add_argument("--commands", type=int, default=2000)
    discord_args = sub.add_parser("discord", help="mentions and interactions over the gateway")
    discord_args.add_argument("--messages", type=int, default=1000)
    discord_args.add_argument("--interactions", type=int, default=500)
    args = parser.parse_args()
    if args.platform == "slack":
        asyncio.run(slack(args.checkout.resolve(), args.commands, not args.acks_only))
    else:
        from bench.load_discord import discord

        asyncio.run(discord(args.checkout.resolve(), args.messages, args.interactions))


if __name__ == "__main__":
    main()
