"""``/digest`` and the "More stories" button: a digest delivered within Slack's limits.

A ``/digest`` reply goes through the command's ``response_url``, which takes five
messages. A digest that needs more is posted to the channel with
``chat.postMessage`` (at most ``POST_MESSAGES``), and the asker is told so; with
``SLACK_ANSWER_VISIBILITY=ephemeral`` it is never posted for the whole channel
to see, but cut to five messages instead. "More stories" shows the next
stories to whoever pressed it, through the click's own ``response_url``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.requests import DigestPage, Request, Result, call
from adapters.slack import format as fmt
from adapters.slack.digest_format import (
    MORE_ACTION,
    POST_MESSAGES,
    RESPONSE_URL_MESSAGES,
    digest_messages,
)
from adapters.slack.format import Message
from adapters.slack.requests import action_request, command_request
from adapters.workers import WorkerPool
from bot.models import Digest
from bot.protocol import Bot

log = logging.getLogger("teambot.slack")

POSTED = "That digest is too long for a reply, so I posted it to the channel."
NOT_A_MEMBER = (
    "That digest is too long for a reply, and I can't post in this channel: invite me "
    "with `/invite @teambot` to get it whole. Here are the first stories."
)
NOT_POSTED = "I couldn't post that digest in this channel (Slack said {code}). Here is its start."
CUT_SHORT = "Sorry: Slack stopped me partway through posting that digest. Try /digest again later."
# The errors that mean "teambot cannot post here" (chat.postMessage's documented errors).
_CANNOT_POST = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}

Respond = Callable[..., Awaitable[Any]]


class DigestListeners:
    """The ``/digest`` command and the "More stories" button.

    Args:
        bot: the live bot.
        visibility: ``in_channel`` or ``ephemeral`` (``SLACK_ANSWER_VISIBILITY``).
        digest_stories: stories shown in full (``TEAMBOT_DIGEST_STORIES``).
        pool: the bounded answer pool the digest is built in (as answers are), so a
            flood of ``/digest`` cannot crowd the event loop either.
    """

    def __init__(self, bot: Bot, visibility: str, digest_stories: int, pool: WorkerPool) -> None:
        self._bot = bot
        self._visibility = visibility
        self._full = digest_stories
        self._pool = pool

    def register(self, app: AsyncApp) -> None:
        """Adds the listeners to ``app``."""
        app.command("/digest")(self._command)
        app.action(MORE_ACTION)(self._more)

    async def _command(
        self, ack: Any, command: dict[str, Any], respond: Respond, client: AsyncWebClient
    ) -> None:
        await ack()
        result = await self._call(command_request(command))
        if not isinstance(result, DigestPage):
            await self._respond(respond, fmt.render(result))
            return
        digest = result.digest
        limit = POST_MESSAGES if self._visibility == "in_channel" else RESPONSE_URL_MESSAGES
        messages = digest_messages(digest, full=self._full, limit=limit)
        if len(messages) <= RESPONSE_URL_MESSAGES:
            await self._respond(respond, messages)
            return
        await self._post(client, str(command.get("channel_id", "")), digest, messages, respond)

    async def _post(
        self,
        client: AsyncWebClient,
        channel: str,
        digest: Digest,
        messages: list[Message],
        respond: Respond,
    ) -> None:
        try:
            await client.chat_postMessage(channel=channel, **messages[0])
        except SlackApiError as exc:
            code = _error_code(exc)
            log.warning("cannot post the digest in %s: %s", channel, code)
            note = NOT_A_MEMBER if code in _CANNOT_POST else NOT_POSTED.format(code=code)
            # The note takes one of the five messages the response_url allows.
            start = digest_messages(digest, full=self._full, limit=RESPONSE_URL_MESSAGES - 1)
            await self._respond(respond, fmt.text_message(note), private=True)
            await self._respond(respond, start)
            return
        try:
            for message in messages[1:]:
                await client.chat_postMessage(channel=channel, **message)
        except SlackApiError as exc:
            log.warning("digest cut short in %s: %s", channel, _error_code(exc))
            await self._respond(respond, fmt.text_message(CUT_SHORT), private=True)
            return
        await self._respond(respond, fmt.text_message(POSTED), private=True)

    async def _more(self, ack: Any, action: dict[str, Any], respond: Respond) -> None:
        await ack()
        result = await self._call(action_request(action, "digest"))
        if isinstance(result, DigestPage):
            page = digest_messages(
                result.digest, full=self._full, start=result.start, limit=RESPONSE_URL_MESSAGES
            )
        else:
            page = fmt.render(result)
        await self._respond(respond, page, private=True)

    async def _call(self, request: Request) -> Result:
        """``call`` in the answer pool, as answers are."""
        return await self._pool.run(partial(call, self._bot, request))

    async def _respond(
        self, respond: Respond, messages: list[Message], private: bool = False
    ) -> None:
        visibility = "ephemeral" if private else self._visibility
        for message in messages:
            await respond(**message, response_type=visibility, replace_original=False)


def _error_code(exc: SlackApiError) -> str:
    return str(exc.response.get("error", "unknown_error")) if exc.response else "unknown_error"
