"""Runs the Slack adapter: Socket Mode with an app token, else HTTP on ``/slack/events``."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.digest_runs import Mark, to_post
from adapters.slack.digest_format import POST_MESSAGES, digest_messages
from adapters.slack.handlers import SlackListeners
from adapters.slack.runs import channel_marks, metadata
from adapters.slack.settings import SlackSettings
from adapters.wording import BUSY
from adapters.workers import QUEUE, WORKERS, WorkerPool
from bot.digest.schedule import Destination
from bot.digest.scheduler import Post, Run
from bot.errors import BotError, ConfigError
from bot.models import Digest
from bot.protocol import Bot

log = logging.getLogger("teambot.slack")

EVENTS_PATH = "/slack/events"
RETRIES = 3  # 429 answers retried after Retry-After, this many times
#: New connections the kernel holds until teambot accepts them. Past aiohttp's default
#: (128), a burst of requests on new connections loses SYNs, retried a second later: 2,000
#: connecting at once took 1.08 s (p99) with 128, 0.67 s with this. The kernel caps it
#: at net.core.somaxconn.
BACKLOG = 2048


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the bot is in the workspace (from ``auth.test``)."""

    user_id: str
    team: str


def web_client(settings: SlackSettings) -> AsyncWebClient:
    """The async Web API client: bot token, configured base URL, 429 retries."""
    token = settings.bot_token.get_secret_value() if settings.bot_token else None
    return AsyncWebClient(
        token=token,
        base_url=settings.api_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=RETRIES)],
    )


async def check_token(client: AsyncWebClient, api_url: str) -> Identity:
    """Asks Slack who the token belongs to.

    Raises:
        ConfigError: Slack rejected the token, or cannot be reached (never shows the token).
    """
    try:
        response = await client.auth_test()
    except SlackApiError as exc:
        code = exc.response.get("error", "unknown error") if exc.response else "unknown error"
        raise ConfigError(f"Slack rejected SLACK_BOT_TOKEN ({code}); check the bot token") from None
    except (TimeoutError, SlackClientError, OSError) as exc:
        raise ConfigError(f"cannot reach Slack at {api_url}: {type(exc).__name__}") from None
    return Identity(str(response.get("user_id", "")), str(response.get("team", "")))


def digest_poster(settings: SlackSettings, *, digest_stories: int) -> Post:
    """Posts a scheduled digest to a channel (called from the scheduler's thread): at
    most ``POST_MESSAGES`` messages, the rest behind a "More stories" button.

    Each message carries its run and part as message metadata; a resumed run posts
    only the messages whose marks are not in the channel (``adapters.digest_runs``).
    """
    token = settings.bot_token.get_secret_value() if settings.bot_token else None
    client = WebClient(
        token=token,
        base_url=settings.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=RETRIES)],
    )

    def post(destination: Destination, digest: Digest, run: Run) -> None:
        channel = destination.channel
        messages = digest_messages(digest, full=digest_stories, limit=POST_MESSAGES)

        def posted() -> list[Mark]:
            return channel_marks(client, channel, run, len(messages))

        for mark in to_post(run, len(messages), posted, destination.key):
            message = messages[mark.part - 1]
            client.chat_postMessage(channel=channel, metadata=metadata(mark), **message)

    return post


async def serve(
    bot: Bot,
    settings: SlackSettings,
    *,
    host: str = "0.0.0.0",
    port: int = 3000,
    digest_stories: int,
    stop: asyncio.Event,
    ready: asyncio.Event | None = None,
    workers: int = WORKERS,
    queue: int = QUEUE,
) -> None:
    """Connects and serves until ``stop`` is set; a digest shows ``digest_stories`` in full.
    Questions are answered by ``workers`` threads, with at most ``queue`` waiting.

    Raises:
        ConfigError: a rejected token or an unreachable Slack, at start.
    """
    client = web_client(settings)
    identity = await check_token(client, settings.api_url)
    pool = WorkerPool(workers, queue)
    listeners = SlackListeners(bot, settings, client, digest_stories=digest_stories, pool=pool)
    try:
        if settings.app_token is not None:
            await _socket_mode(listeners, settings, client, stop, ready)
        else:
            await _http_mode(listeners, host, port, stop, ready)
    finally:
        await pool.close()
    log.info("disconnected from Slack workspace %s", identity.team)


async def _socket_mode(
    listeners: SlackListeners,
    settings: SlackSettings,
    client: AsyncWebClient,
    stop: asyncio.Event,
    ready: asyncio.Event | None,
) -> None:
    app_token = settings.app_token.get_secret_value() if settings.app_token else ""
    # The Socket Mode client retries a rejected token for ever; ask once first.
    try:
        await client.apps_connections_open(app_token=app_token)
    except SlackApiError as exc:
        code = exc.response.get("error", "unknown error") if exc.response else "unknown error"
        raise ConfigError(f"Slack rejected SLACK_APP_TOKEN ({code}); check the app token") from None
    handler = _AckFirst(listeners, app_token, client)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    log.warning("teambot is connected to Slack (Socket Mode)")
    if ready:
        ready.set()
    try:
        await stop.wait()
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]


async def _http_mode(
    listeners: SlackListeners,
    host: str,
    port: int,
    stop: asyncio.Event,
    ready: asyncio.Event | None,
) -> None:
    async def events(request: web.Request) -> web.StreamResponse:
        try:
            if listeners.turns_away(await request.text(), request.headers):
                return web.Response(text=BUSY)  # as bolt answers ack(text=BUSY)
            bolt_request = await to_bolt_request(request)
        except (ValueError, AttributeError):
            # bolt parses the body before it checks the signature: a body that is not
            # the JSON object or form it claims to be is the sender's error, not ours.
            return web.Response(status=400, text="malformed request body")
        with listeners.pool.acknowledging():
            response = await to_aiohttp_response(await listeners.app.async_dispatch(bolt_request))
            # Sent here rather than after the return, so no answer starts before it is out.
            await response.prepare(request)
            await response.write_eof()
        return response

    web_app = web.Application()
    web_app.add_routes([web.post(EVENTS_PATH, events)])
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port, backlog=BACKLOG)
        try:
            await site.start()
        except OSError as exc:
            raise BotError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        log.warning("teambot is listening for Slack on http://%s:%d%s", host, port, EVENTS_PATH)
        if ready:
            ready.set()
        await stop.wait()
    finally:
        await runner.cleanup()


class _AckFirst(AsyncSocketModeHandler):
    """The Socket Mode handler, holding answers back while it acknowledges a request."""

    def __init__(self, listeners: SlackListeners, app_token: str, client: AsyncWebClient):
        super().__init__(listeners.app, app_token, web_client=client)
        self._pool = listeners.pool

    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
        with self._pool.acknowledging():
            await super().handle(client, req)
