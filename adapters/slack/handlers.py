"""Slack events in, core calls, Block Kit out: the listeners of the bolt app.

Every slash command is acknowledged at once (bolt answers Slack's request as
soon as ``ack`` runs, and the listener carries on); the answer follows through
``response_url``. Mentions are answered in the message's thread, DMs in the DM.
Questions wait their turn in a bounded ``WorkerPool``; one that finds it full is
told at once that teambot is busy (the ack's text, or a reply in the thread).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from adapters import guards
from adapters.chat import slow_down
from adapters.requests import Request, call, call_and_render
from adapters.slack import format as fmt
from adapters.slack.digest_listeners import DigestListeners
from adapters.slack.requests import action_request, command_request, event_request
from adapters.slack.settings import SlackSettings
from adapters.wording import BUSY
from adapters.workers import WorkerPool
from bot.protocol import Bot

log = logging.getLogger("teambot.slack")


class _QuietTokenWarning(logging.Filter):
    """bolt reads SLACK_BOT_TOKEN itself and warns that our client wins; it does, by design."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


_QUIET = _QuietTokenWarning()

Respond = Callable[..., Awaitable[Any]]


class SlackListeners:
    """Registers teambot's listeners on a bolt ``AsyncApp``.

    Args:
        bot: the live bot (its ``current`` index answers each request).
        settings: Slack settings (visibility, rate limit).
        client: the Web API client (bot token).
        digest_stories: stories a digest shows in full (``TEAMBOT_DIGEST_STORIES``).
        pool: where questions wait for, and get, their answers.
    """

    def __init__(
        self,
        bot: Bot,
        settings: SlackSettings,
        client: AsyncWebClient,
        *,
        digest_stories: int,
        pool: WorkerPool,
    ) -> None:
        self._bot = bot
        self.pool = pool
        self._visibility = settings.answer_visibility
        self._limiter = guards.rate_limiter(bot, settings.rate_limit, "slack")
        self._seen = guards.seen_events(bot, "slack")
        logging.getLogger("slack_bolt.AsyncApp").addFilter(_QUIET)  # idempotent
        signing = settings.signing_secret.get_secret_value() if settings.signing_secret else ""
        self._verifier = SignatureVerifier(signing) if signing.strip() else None
        self.app = AsyncApp(
            client=client,
            signing_secret=signing,
            process_before_response=False,
            ignoring_self_events_enabled=True,
        )
        self.app.command("/ask")(self._ask_command)
        DigestListeners(bot, self._visibility, digest_stories, pool).register(self.app)
        self.app.command("/sources")(self._sources_command)
        self.app.action(fmt.SOURCES_ACTION)(self._sources_more)
        self.app.event("app_mention")(self._mention)
        self.app.event("message")(self._message)
        self.app.error(self._error)

    async def _ask_command(self, ack: Any, command: dict[str, Any], respond: Respond) -> None:
        request = command_request(command)
        if request.kind == "help":  # cheap: answered at once, even with the queue full
            await ack(text=fmt.ack_text(call(self._bot, request)))
            return
        if request.kind == "ask" and (wait := await self._limiter.allow(request.user)):
            await ack(text=slow_down(wait))
            return
        await self._accept(ack, request, respond)

    def turns_away(self, body: str, headers: Mapping[str, str]) -> bool:
        """True for a correctly signed ``/ask`` question while the pool is full: its ack
        is ``BUSY`` (someone over the rate limit too), so HTTP mode sends it without
        bolt's dispatch. Under a flood most requests are these, and that costs about
        half the CPU time of a dispatch (``bench/load.py``)."""
        if self._verifier is None or not self.pool.full:
            return False
        form = dict(parse_qsl(body))
        if form.get("command") != "/ask" or command_request(form).kind != "ask":
            return False  # help, sources and usage are answered as ever
        try:
            return self._verifier.is_valid_request(body, headers)
        except ValueError:  # a timestamp that is not a number: bolt refuses it
            return False

    async def _sources_command(self, ack: Any, command: dict[str, Any], respond: Respond) -> None:
        await self._accept(ack, command_request(command), respond)

    async def _accept(self, ack: Any, request: Request, respond: Respond) -> None:
        """Acknowledges, then answers ``request`` through ``response_url`` once a worker
        is free; or acknowledges with ``BUSY`` when the pool is full."""

        async def reply() -> None:
            for message in await self._answer(request):
                await respond(**message, response_type=self._visibility, replace_original=False)

        if not await self.pool.accept(reply, ack):
            await ack(text=BUSY)

    async def _sources_more(self, ack: Any, action: dict[str, Any], respond: Respond) -> None:
        """The next page of the article list, for whoever pressed "More articles"."""
        await ack()
        for message in await self._answer(action_request(action, "sources")):
            await respond(**message, response_type="ephemeral", replace_original=False)

    async def _mention(
        self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        if _from_a_bot(event) or not await self._first(event, body):
            return
        thread = event.get("thread_ts") or event.get("ts")
        await self._answer_event(event, client, thread)

    async def _message(
        self, event: dict[str, Any], body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or _from_a_bot(event):
            return
        if not await self._first(event, body):
            return
        await self._answer_event(event, client, event.get("thread_ts"))

    async def _answer_event(
        self, event: dict[str, Any], client: AsyncWebClient, thread: str | None
    ) -> None:
        request = event_request(event)

        async def say(messages: list[fmt.Message]) -> None:
            for message in messages:
                await client.chat_postMessage(channel=event["channel"], thread_ts=thread, **message)

        if request.kind == "help":
            await say(fmt.render(call(self._bot, request)))
            return
        if request.kind == "sources":
            await say(await self._answer(request))
            return
        wait = await self._limiter.allow(request.user)
        if wait:
            await say(fmt.text_message(slow_down(wait)))
            return

        async def answer() -> None:
            await say(await self._answer(request))

        if not await self.pool.accept(answer):
            await say(fmt.text_message(BUSY))

    async def _first(self, event: dict[str, Any], body: dict[str, Any]) -> bool:
        """True once per message: a retry, a repeated event id, or the same message
        arriving as both ``message`` and ``app_mention`` is answered only once."""
        message = f"{event.get('channel')}:{event.get('ts')}" if event.get("ts") else ""
        return await self._seen.first(str(body.get("event_id", "")), message)

    async def _answer(self, request: Request) -> list[fmt.Message]:
        """``call`` and ``render`` on a worker thread of the pool: the core is CPU-bound
        and synchronous."""
        return await self.pool.run(partial(call_and_render, self._bot, request, fmt.render))

    async def _error(self, error: Exception) -> None:
        log.error("Slack request failed: %s: %s", type(error).__name__, error)


def _from_a_bot(event: dict[str, Any]) -> bool:
    return bool(event.get("bot_id")) or event.get("subtype") == "bot_message"
