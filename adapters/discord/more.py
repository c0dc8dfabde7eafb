"""The digest's "More stories" button on Discord.

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


@runtime_checkable
class MoreHandler(Protocol):
    """The client that answers a click (``TeamBotClient``)."""

    async def digest_more(self, interaction: discord.Interaction[Any], page: str) -> None: ...


class MoreButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=re.escape(PREFIX) + r"(?P<page>[dt]:[0-9:-]{1,80})",
):
    """A button that shows the next page of a digest to whoever presses it."""

    def __init__(self, page: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=LABEL, style=discord.ButtonStyle.secondary, custom_id=PREFIX + page
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
        if isinstance(interaction.client, MoreHandler):
            await interaction.client.digest_more(interaction, self.page)


def more_view(page: str | None) -> discord.ui.View | None:
    """A view holding the "More stories" button for ``page``; ``None`` without a page.

    Call it on the client's event loop (a view starts a timer there).
    """
    if page is None:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(MoreButton(page))
    return view
