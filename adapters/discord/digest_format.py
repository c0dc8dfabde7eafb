"""Discord rendering of a digest: embeds within Discord's limits. Pure functions.

The layout is ``adapters.digest_layout``'s: each story in full is an embed
(summary and key points in the description, names and numbered sources as
fields); one-line stories share embeds. A digest that needs more than
``limit`` messages stops at a story boundary, says how many stories are left,
and its last reply carries the page for a "More stories" button.
"""

from __future__ import annotations

from adapters import digest_layout as layout
from adapters.digest_pages import page_token
from adapters.discord.format import (
    COLOUR,
    DESCRIPTION_CHARS,
    FIELD_VALUE_CHARS,
    MESSAGE_EMBED_CHARS,
    MESSAGE_EMBEDS,
    TITLE_CHARS,
    Embed,
    Reply,
    cut,
    embed_size,
    escape,
    source_value,
    tidy,
    with_fields,
)
from adapters.wording import digest_span, plural
from bot.models import Digest

#: Messages a digest sends at most (the issue: 188 in one morning). Ten hold the
#: top stories in full (a story in full is one embed, usually well under a
#: message's 6,000 characters) and a page of one-liners; discord.py spaces them
#: within the per-channel rate limit (about five messages per five seconds), so
#: they arrive within seconds. The rest is one click away.
MESSAGES = 10
POINT_CHARS = 400  # one key point's sentence


def digest_replies(
    digest: Digest, *, full: int, start: int = 0, limit: int = MESSAGES
) -> list[Reply]:
    """The digest from story index ``start`` in at most ``limit`` messages.

    The first ``full`` stories of the digest are shown in full, the others one
    line each; the last reply's ``more`` names the page with the rest, if any.
    """
    span = digest_span(digest)
    if digest.empty:
        return [Reply(content=f"Nothing new {span}.")]
    total = plural(len(digest.stories), "story")
    heading = f"**Digest {span}: {total}**" if start == 0 else f"**Digest {span}, continued**"
    pages = _Pages(limit)
    shown = layout.fill(pages, digest, full, start, _full_story, escape)
    remaining = len(digest.stories) - shown
    closing = layout.more_stories(remaining) if remaining > 0 else ""
    more = page_token(digest, shown) if remaining > 0 else None
    return pages.replies(heading, closing, more)


def _full_story(item: layout.FullStory) -> list[Embed]:
    story = item.story
    points = [f"• {cut(escape(p.text), POINT_CHARS)} [{p.source}]" for p in item.key_points]
    room = DESCRIPTION_CHARS - sum(len(p) + 1 for p in points) - 2
    summary = cut(escape(story.summary), min(room, layout.SUMMARY_CHARS))
    fields = []
    if names := [name for name in story.entities if name.strip()]:
        value = cut(escape(", ".join(names)), FIELD_VALUE_CHARS)
        fields.append({"name": "Names", "value": value, "inline": False})
    fields += [{"name": f"[{n}]", "value": source_value(ref)} for n, ref in item.sources]
    if item.unlisted:
        fields.append({"name": "More sources", "value": layout.unlisted_sources(item.unlisted)})
    base = {
        "title": cut(f"{item.number}. {escape(story.headline)}", TITLE_CHARS),
        "description": "\n\n".join([summary, "\n".join(points)]) if points else summary,
        "color": COLOUR,
    }
    return with_fields(tidy(base), fields)


class _Pages:
    """Embeds packed into at most ``limit`` messages of ``MESSAGE_EMBEDS`` embeds and
    ``MESSAGE_EMBED_CHARS`` characters."""

    def __init__(self, limit: int) -> None:
        self._limit = max(1, limit)
        self._messages: list[list[Embed]] = [[]]
        self._lines: Embed | None = None  # the embed one-line stories are being added to

    def add(self, embeds: list[Embed]) -> bool:
        """Adds a story's embeds (over several messages if they must); False when that
        would need more than ``limit`` messages."""
        planned = [list(m) for m in self._messages]
        for embed in embeds:
            current = planned[-1]
            size = sum(embed_size(e) for e in current) + embed_size(embed)
            if current and (len(current) == MESSAGE_EMBEDS or size > MESSAGE_EMBED_CHARS):
                planned.append([])
            planned[-1].append(embed)
        if len(planned) > self._limit:
            return False
        self._messages = planned
        self._lines = None
        return True

    def add_line(self, line: str) -> bool:
        """Adds a line to the open embed of one-liners, or starts one."""
        lines = self._lines
        if lines is not None and len(lines["description"]) + 1 + len(line) <= DESCRIPTION_CHARS:
            used = sum(embed_size(e) for e in self._messages[-1])
            if used + 1 + len(line) <= MESSAGE_EMBED_CHARS:
                lines["description"] += "\n" + line
                return True
        embed = {"description": line, "color": COLOUR}
        if not self.add([embed]):
            return False
        self._lines = embed
        return True

    def replies(self, heading: str, closing: str, more: str | None) -> list[Reply]:
        """The replies: the heading first, the closing line and button last."""
        replies = [Reply(embeds=tuple(m)) for m in self._messages]
        replies[0] = Reply(content=heading, embeds=replies[0].embeds)
        if closing or more:
            last = replies[-1]
            content = "\n".join(c for c in (last.content, closing) if c)
            replies[-1] = Reply(content=content, embeds=last.embeds, more=more)
        return replies
