"""discord.py client: Discord events in, core calls, embeds out.

Every interaction is deferred at once and answered by follow-ups; questions wait
their turn in a bounded ``WorkerPool``, and one that finds it full is told at once
that teambot is busy (the interaction's response, or a reply to the message).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any

import discord
from discord import app_commands

from adapters import guards
from adapters.chat import slow_down
from adapters.discord import format as fmt
from adapters.discord.digest_format import digest_replies
from adapters.discord.more import MoreButton, more_view
from adapters.discord.requests import (
    ask_request,
    digest_request,
    message_request,
    more_request,
    sources_request,
)
from adapters.discord.settings import DiscordSettings
from adapters.requests import DigestPage, Request, Result, call, call_and_render
from adapters.wording import BUSY
from adapters.workers import WorkerPool
from bot.protocol import Bot

log = logging.getLogger("teambot.discord")

NO_MENTIONS = discord.AllowedMentions.none()
PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    read_message_history=True,
)


def intents() -> discord.Intents:
    """Guilds, guild and DM messages. Not Message Content: mentions and DMs carry theirs."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    chosen.guild_messages = True
    chosen.dm_messages = True
    return chosen


class TeamBotClient(discord.Client):
    """teambot on Discord.

    Args:
        bot: the live bot.
        settings: Discord settings (guild for command sync, rate limit, guild ready timeout).
        digest_stories: stories a digest shows in full (``TEAMBOT_DIGEST_STORIES``).

    Attributes:
        pool: where questions wait for, and get, their answers.
    """

    def __init__(self, bot: Bot, settings: DiscordSettings, *, digest_stories: int) -> None:
        super().__init__(
            intents=intents(),
            allowed_mentions=NO_MENTIONS,
            guild_ready_timeout=settings.guild_ready_timeout,
        )
        self._bot = bot
        self.digest_stories = digest_stories
        self._guild = discord.Object(id=settings.guild_id) if settings.guild_id else None
        self._limiter = guards.rate_limiter(bot, settings.rate_limit, "discord")
        self._seen = guards.seen_events(bot, "discord")
        self.pool = WorkerPool()
        self.tree = app_commands.CommandTree(self)
        self.ready = asyncio.Event()
        self._register_commands()
        self.add_dynamic_items(MoreButton)  # routes every "More stories" click, even old ones

    async def setup_hook(self) -> None:
        """Syncs the slash commands: to one server at once, or globally."""
        if self._guild is not None:
            self.tree.copy_global_to(guild=self._guild)
        await self.tree.sync(guild=self._guild)

    async def on_ready(self) -> None:
        if self.user is not None and not self.ready.is_set():
            log.warning("teambot is connected to Discord as %s", self.user)
            log.warning("invite it with %s", self.invite_url())
        self.ready.set()

    def invite_url(self) -> str:
        """The OAuth2 URL that adds the bot with its scopes and permissions."""
        app_id = self.application_id or (self.user.id if self.user else 0)
        return discord.utils.oauth_url(
            app_id, permissions=PERMISSIONS, scopes=("bot", "applications.commands")
        )

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.user is None:
            return
        direct = message.guild is None
        if not direct and not self.user.mentioned_in(message):
            return
        if message.mention_everyone and not any(u.id == self.user.id for u in message.mentions):
            return  # @everyone is not a question to teambot
        if not await self._seen.first(str(message.id)):
            return  # already answered (e.g. replayed after a RESUME)
        request = message_request(message.content, message.author.id)
        if request.kind == "help":  # cheap: answered at once, even with the queue full
            replies = fmt.render(call(self._bot, request))
        elif request.kind == "sources":
            replies = await self._replies(request)
        elif wait := await self._limiter.allow(request.user):
            replies = fmt.text_reply(slow_down(wait))
        else:
            await self._answer(message, request)
            return
        await self._reply(message, replies)

    async def _answer(self, message: discord.Message, request: Request) -> None:
        async def answer() -> None:
            await self._reply(message, await self._replies(request))

        if not await self.pool.accept(answer):
            await self._reply(message, fmt.text_reply(BUSY))

    async def _reply(self, message: discord.Message, replies: list[fmt.Reply]) -> None:
        for reply in replies:
            await message.reply(
                content=reply.content or None,
                embeds=[discord.Embed.from_dict(e) for e in reply.embeds],
                mention_author=False,
                allowed_mentions=NO_MENTIONS,
                view=more_view(reply.more) or discord.utils.MISSING,
            )

    def _register_commands(self) -> None:
        @self.tree.command(name="ask", description="Ask a question about the articles")
        @app_commands.describe(question="What you want to know")
        async def ask(interaction: discord.Interaction, question: str) -> None:
            request = ask_request(question, interaction.user.id)

            async def answer() -> None:
                if request.kind == "help":
                    replies = fmt.render(call(self._bot, request))
                elif request.kind == "ask" and (wait := await self._limiter.allow(request.user)):
                    replies = fmt.text_reply(slow_down(wait))
                else:
                    replies = await self._replies(request)
                await self._send(interaction, replies)

            await self._after_deferring(interaction, answer)

        @self.tree.command(name="digest", description="The stories new today, or on a date")
        @app_commands.describe(date="today, yesterday or YYYY-MM-DD (default: the last 24 hours)")
        async def digest(interaction: discord.Interaction, date: str | None = None) -> None:
            await self._deferred(interaction, digest_request(date, interaction.user.id))

        @self.tree.command(name="sources", description="List the articles teambot knows")
        async def sources(interaction: discord.Interaction) -> None:
            await self._deferred(interaction, sources_request(interaction.user.id))

    async def digest_more(self, interaction: discord.Interaction, page: str) -> None:
        """Shows the next page of a digest to whoever pressed "More stories"."""
        await self._deferred(interaction, more_request(page), ephemeral=True)

    async def sources_more(self, interaction: discord.Interaction, page: str) -> None:
        """Shows the next page of the article list to whoever pressed "More articles"."""
        await self._deferred(interaction, more_request(page), ephemeral=True)

    async def _deferred(
        self, interaction: discord.Interaction, request: Request, *, ephemeral: bool = False
    ) -> None:
        """Defers at once, then sends what ``call`` returns for ``request``, rendered."""

        async def answer() -> None:
            replies = await self._replies(request)
            await self._send(interaction, replies, ephemeral=ephemeral)

        await self._after_deferring(interaction, answer, ephemeral=ephemeral)

    async def _after_deferring(
        self,
        interaction: discord.Interaction,
        job: Callable[[], Coroutine[Any, Any, None]],
        *,
        ephemeral: bool = False,
    ) -> None:
        """Defers at once, then runs ``job`` in the pool; when the pool's queue is full,
        the interaction's response says teambot is busy instead."""

        def defer() -> Coroutine[Any, Any, object]:
            return interaction.response.defer(ephemeral=ephemeral, thinking=True)

        if not await self.pool.accept(job, defer):
            await interaction.response.send_message(BUSY, ephemeral=True)

    async def _send(
        self, interaction: discord.Interaction, replies: list[fmt.Reply], *, ephemeral: bool = False
    ) -> None:
        for reply in replies:
            await interaction.followup.send(
                content=reply.content or discord.utils.MISSING,
                embeds=[discord.Embed.from_dict(e) for e in reply.embeds],
                allowed_mentions=NO_MENTIONS,
                ephemeral=ephemeral,
                view=more_view(reply.more) or discord.utils.MISSING,
            )

    async def _replies(self, request: Request) -> list[fmt.Reply]:
        """``call`` and ``render`` on a worker thread of the pool: the core is CPU-bound
        and synchronous."""
        return await self.pool.run(partial(call_and_render, self._bot, request, self._render))

    def _render(self, result: Result) -> list[fmt.Reply]:
        """``fmt.render``, and a digest laid out with its stories shown in full."""
        if isinstance(result, DigestPage):
            return digest_replies(result.digest, full=self.digest_stories, start=result.start)
        return fmt.render(result)

    async def close(self) -> None:
        """Disconnects, then drops the answers not done and stops the pool's threads."""
        await super().close()
        await self.pool.close()

    async def on_error(self, event_method: str, /, *args: object, **kwargs: object) -> None:
        log.exception("Discord event %s failed", event_method)
