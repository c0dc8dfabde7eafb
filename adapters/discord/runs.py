"""Discord marks of a scheduled run (``adapters.digest_runs``): a nonce and a label.

Each message of a scheduled digest is sent with a nonce made from its channel,
run and part; discord.py sends a nonce with ``enforce_nonce``, so Discord answers
a repeat within a few minutes with the message already created instead of a
second one. Discord does not return nonces with a channel's history, so the
message also shows a label, "Scheduled digest 2026-01-10 · part 1 of 2", in the
footer of its last embed (or, with no embed or no room left in the message's
6,000 embed characters, as a line of small text under its content). A resumed
run reads the labels of the bot's own messages since the run was due; that
needs the Read Message History permission.
"""

from __future__ import annotations

import hashlib
import re

import discord

from adapters.digest_runs import Mark
from adapters.discord.format import CONTENT_CHARS, MESSAGE_EMBED_CHARS, Embed, Reply, embed_size
from bot.digest.scheduler import Run

#: A nonce's length at most: "max 25 characters" (Discord, Create Message).
NONCE_CHARS = 25
_NONCE_BYTES = 11  # "td" and 22 hexadecimal digits: 24 characters, within NONCE_CHARS
#: Messages read at most, oldest first from the run's scheduled time (discord.py
#: asks for 100 a request, Discord's most): the run's messages come early in them
#: unless the first attempt came hours late into a busy channel. Past that, a
#: missing mark means a part is posted again rather than lost.
HISTORY_MESSAGES = 1000
_LABEL = re.compile(r"Scheduled digest (\S+) · part (\d+) of (\d+)")


def nonce(channel: str, mark: Mark) -> str:
    """The same for the same part of the same run in the same channel, and else not.

    A hash, as a channel id and a run id alone can take 25 characters.
    """
    key = f"{channel}/{mark.run}/{mark.part}".encode()
    return "td" + hashlib.blake2b(key, digest_size=_NONCE_BYTES).hexdigest()


def label(mark: Mark) -> str:
    """The text that shows a message's mark."""
    return f"Scheduled digest {mark.run} · part {mark.part} of {mark.parts}"


def marked(reply: Reply, mark: Mark) -> tuple[str, list[Embed]]:
    """The reply's content and embeds, showing ``mark``."""
    text = label(mark)
    embeds = list(reply.embeds)
    room = MESSAGE_EMBED_CHARS - sum(embed_size(e) for e in embeds)
    if embeds and "footer" not in embeds[-1] and len(text) <= room:
        embeds[-1] = {**embeds[-1], "footer": {"text": text}}
        return reply.content, embeds
    content = f"{reply.content}\n-# {text}" if reply.content else f"-# {text}"
    return (content if len(content) <= CONTENT_CHARS else reply.content), embeds


def read_marks(message: discord.Message) -> list[Mark]:
    """The marks a message shows, in its embeds' footers or its content."""
    texts = [e.footer.text or "" for e in message.embeds] + [message.content or ""]
    return [Mark(m[1], int(m[2]), int(m[3])) for text in texts for m in _LABEL.finditer(text)]


async def channel_marks(
    channel: discord.abc.Messageable, me: int, run: Run, parts: int
) -> list[Mark]:
    """The marks of ``run`` on the bot's own messages in the channel since the run was due.

    Stops reading once every part is found.

    Raises:
        discord.HTTPException: Discord refused (e.g. no Read Message History) or failed.
    """
    found: list[Mark] = []
    wanted = set(range(1, parts + 1))
    async for message in channel.history(limit=HISTORY_MESSAGES, after=run.scheduled_at):
        if message.author.id != me:
            continue
        found += [m for m in read_marks(message) if m.run == run.id]
        if {m.part for m in found} >= wanted:
            break
    return found
