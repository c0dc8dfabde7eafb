"""Runs the Discord adapter against the configured REST and gateway endpoints."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

import aiohttp
import discord
import discord.gateway
import discord.http
import yarl

from adapters.digest_runs import Mark, to_post
from adapters.discord import runs
from adapters.discord.client import NO_MENTIONS, TeamBotClient
from adapters.discord.digest_format import digest_replies
from adapters.discord.more import more_view
from adapters.discord.settings import DiscordSettings
from bot.digest.schedule import Destination
from bot.digest.scheduler import Post, Run
from bot.errors import BotError, ConfigError
from bot.models import Digest
from bot.protocol import Bot

log = logging.getLogger("teambot.discord")

POST_TIMEOUT = 120.0
T = TypeVar("T")


def use_endpoints(settings: DiscordSettings) -> None:
    """Points discord.py at the configured REST base and gateway (Discord's by default).

    discord.py keeps both as class attributes (``Route.BASE``, and
    ``DiscordWebSocket.DEFAULT_GATEWAY``, which a plain ``Client`` connects to
    without asking ``/gateway/bot``), so they are set here, at run time.
    """
    discord.http.Route.BASE = settings.api_url.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)


async def serve(
    bot: Bot,
    settings: DiscordSettings,
    *,
    digest_stories: int,
    stop: asyncio.Event,
    ready: asyncio.Event | None = None,
    started: list[TeamBotClient] | None = None,
) -> None:
    """Logs in, connects and serves until ``stop`` is set; discord.py reconnects by itself.
    A digest shows ``digest_stories`` stories in full.

    Raises:
        ConfigError: a rejected token or an unreachable Discord (never shows the token).
    """
    use_endpoints(settings)
    client = TeamBotClient(bot, settings, digest_stories=digest_stories)
    if started is not None:
        started.append(client)
    try:
        await _login(client, settings)
        connection = asyncio.create_task(client.connect(reconnect=True))
        ready_wait = asyncio.create_task(client.ready.wait())
        stopping = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait(
            {connection, ready_wait, stopping}, return_when=asyncio.FIRST_COMPLETED
        )
        if connection in done:
            connection.result()  # an error while connecting surfaces here
            raise BotError("the Discord gateway closed the connection")
        if ready is not None and client.ready.is_set():
            ready.set()
        await stopping
        ready_wait.cancel()
    finally:
        await client.close()


async def _login(client: TeamBotClient, settings: DiscordSettings) -> None:
    try:
        await client.login(settings.secret())
    except discord.LoginFailure:
        raise ConfigError(
            "Discord rejected DISCORD_TOKEN (401 Unauthorized); check the bot token"
        ) from None
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        raise ConfigError(
            f"cannot reach Discord at {settings.api_url}: {type(exc).__name__}"
        ) from None


def digest_poster(clients: list[TeamBotClient], *, digest_stories: int) -> Post:
    """Posts a scheduled digest to a channel, from the scheduler's thread, on the client's
    loop: at most ``MESSAGES`` messages, the rest behind a "More stories" button.

    Each message carries its run and part (a nonce, and a label in its footer); a
    resumed run posts only the messages whose marks are not in the channel
    (``adapters.digest_runs``).
    """

    def post(destination: Destination, digest: Digest, run: Run) -> None:
        if not clients or not clients[0].is_ready() or clients[0].user is None:
            raise BotError("not connected to Discord yet")
        client, me = clients[0], clients[0].user.id
        channel = client.get_partial_messageable(int(destination.channel))
        replies = digest_replies(digest, full=digest_stories)

        def on_loop(work: Coroutine[Any, Any, T]) -> T:
            return asyncio.run_coroutine_threadsafe(work, client.loop).result(POST_TIMEOUT)

        def posted() -> list[Mark]:
            return on_loop(runs.channel_marks(channel, me, run, len(replies)))

        async def send(marks: list[Mark]) -> None:
            for mark in marks:
                reply = replies[mark.part - 1]
                content, embeds = runs.marked(reply, mark)
                await channel.send(
                    content=content or None,
                    embeds=[discord.Embed.from_dict(e) for e in embeds],
                    nonce=runs.nonce(destination.channel, mark),  # sent with enforce_nonce
                    allowed_mentions=NO_MENTIONS,
                    view=more_view(reply.more) or discord.utils.MISSING,
                )

        on_loop(send(to_post(run, len(replies), posted, destination.key)))

    return post
