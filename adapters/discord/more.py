"""The "More stories" (digest) and "More articles" (/sources) buttons on Discord.

A ``DynamicItem``: its ``custom_id`` carries the page (``adapters.digest_pages``),
so discord.py routes a click by matching the id against a pattern, with no view
kept in memory per message, and a click still works after a restart.
"""

from __future__ import annotations

import re
from typing import Any, Protocol, runtime_checkable

import discord

PREFIX = "teambot:more:"
LABEL = "More stories"
SOURCES_LABEL = "More articles"


@runtime_checkable
class MoreHandler(Protocol):
    """The client that answers a click (``TeamBotClient``)."""

    async def digest_more(self, interaction: discord.Interaction[Any], page: str) -> None: ...

    async def sources_more(self, interaction: discord.Interaction[Any], page: str) -> None: ...


class MoreButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=re.escape(PREFIX) + r"(?P<page>[dts]:[0-9:-]{1,80})",
):
    """A button that shows the next page of a digest, or of the article list
    (a page ``s:…``), to whoever presses it."""

    def __init__(self, page: str) -> None:
        label = SOURCES_LABEL if page.startswith("s:") else LABEL
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.secondary, custom_id=PREFIX + page
            )
        )
        self.page = page

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> MoreButton:
        return cls(match["page"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        client = interaction.client
        if not isinstance(client, MoreHandler):
            return
        if self.page.startswith("s:"):
            await client.sources_more(interaction, self.page)
        else:
            await client.digest_more(interaction, self.page)


def more_view(page: str | None) -> discord.ui.View | None:
    """A view holding the "More" button for ``page``; ``None`` without a page.

    Call it on the client's event loop (a view starts a timer there).
    """
    if page is None:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(MoreButton(page))
    return view
