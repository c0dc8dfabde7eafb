"""Slack rendering of a digest: Block Kit messages within Slack's limits. Pure functions.

The layout is ``adapters.digest_layout``'s. A digest that needs more than
``limit`` messages stops at a story boundary, says how many stories are left
and ends with a "More stories" button (``MORE_ACTION``) whose value is the
page to continue from.
"""

from __future__ import annotations

from adapters import digest_layout as layout
from adapters.digest_pages import page_token
from adapters.slack.format import (
    CONTEXT_ELEMENTS,
    MESSAGE_BLOCKS,
    MESSAGE_CHARS,
    SECTION_CHARS,
    Block,
    Message,
    block_chars,
    button,
    cut,
    escape,
    mrkdwn,
    source_line,
    text_message,
)
from adapters.wording import digest_span, one_line, plural
from bot.models import ArticleRef, Digest

#: Messages a ``response_url`` accepts: "up to five times within 30 minutes"
#: (Slack, "Handling user interaction").
RESPONSE_URL_MESSAGES = 5
#: Messages a digest posts to a channel at most (the issue: 113 in one morning).
#: Ten hold the top stories in full (a story in full is usually well under one
#: message) and a page of one-liners; chat.postMessage allows about one message a
#: second in a channel, so they arrive within seconds. The rest is one click away.
POST_MESSAGES = 10
#: The action id of the "More stories" button.
MORE_ACTION = "teambot_digest_more"
POINT_CHARS = 400  # one key point's sentence
#: One source under a story in full. Ten fill a context block; a source line over
#: this (a huge URL) shows its title alone, so a story's sources stay a fraction
#: of a message.
SOURCE_CHARS = 700
NAMES_CHARS = 500
_CLOSING_BLOCKS = 2  # the closing line and the button, kept free in every message
_CLOSING_CHARS = 2 * 200 + 100  # the closing line, the button's label and value


def digest_messages(
    digest: Digest, *, full: int, start: int = 0, limit: int = POST_MESSAGES
) -> list[Message]:
    """The digest from story index ``start`` in at most ``limit`` messages.

    The first ``full`` stories of the digest are shown in full, the others one
    line each; what does not fit is offered through the "More stories" button.
    """
    span = digest_span(digest)
    if digest.empty:
        return text_message(f"Nothing new {span}.")
    total = plural(len(digest.stories), "story")
    heading = f"Digest {span}: {total}" if start == 0 else f"Digest {span}, continued"
    pages = _Pages(limit)
    pages.add([_section(f"*{escape(heading)}*")])
    shown = layout.fill(pages, digest, full, start, _full_story, escape)
    remaining = len(digest.stories) - shown
    if remaining > 0:
        pages.close(
            [
                _section(escape(layout.more_stories(remaining))),
                button(MORE_ACTION, "More stories", page_token(digest, shown)),
            ]
        )
    return pages.messages(heading)


def _full_story(item: layout.FullStory) -> list[Block]:
    story = item.story
    summary = cut(escape(story.summary), layout.SUMMARY_CHARS)
    headline = cut(escape(story.headline), SECTION_CHARS - len(summary) - 10)
    blocks: list[Block] = [{"type": "divider"}, _section(f"*{item.number}. {headline}*\n{summary}")]
    if item.key_points:
        points = [f"• {cut(escape(p.text), POINT_CHARS)} [{p.source}]" for p in item.key_points]
        blocks.append(_section("\n".join(points)))
    if story.entities:
        names = cut(escape(", ".join(story.entities)), NAMES_CHARS)
        blocks.append(_context([f"Names: {names}"]))
    sources = [_source(n, ref) for n, ref in item.sources]
    if item.unlisted:
        sources.append(layout.unlisted_sources(item.unlisted))
    for i in range(0, len(sources), CONTEXT_ELEMENTS):
        blocks.append(_context(sources[i : i + CONTEXT_ELEMENTS]))
    return blocks


class _Pages:
    """Blocks packed into at most ``limit`` messages of ``MESSAGE_BLOCKS`` blocks and
    ``MESSAGE_CHARS`` characters, room for the closing blocks always kept free."""

    def __init__(self, limit: int) -> None:
        self._limit = max(1, limit)
        self._messages: list[list[Block]] = [[]]
        self._chars = [0]
        self._lines: Block | None = None  # the section one-line stories are being added to

    def add(self, blocks: list[Block]) -> bool:
        """Adds a story's ``blocks``: to one message when they fit one, else spread
        over several; False when that would need more than ``limit`` messages."""
        messages = [list(m) for m in self._messages]
        chars = list(self._chars)
        size = sum(block_chars(b) for b in blocks)
        if messages[-1] and not self._room(messages[-1], chars[-1], len(blocks), size):
            messages.append([])
            chars.append(0)
        for block in blocks:
            n = block_chars(block)
            if messages[-1] and not self._room(messages[-1], chars[-1], 1, n):
                messages.append([])
                chars.append(0)
            messages[-1].append(block)
            chars[-1] += n
        if len(messages) > self._limit:
            return False
        self._messages, self._chars = messages, chars
        self._lines = None
        return True

    def add_line(self, line: str) -> bool:
        """Adds a line to the open section of one-liners, or starts one."""
        lines = self._lines
        if lines is not None and len(lines["text"]["text"]) + 1 + len(line) <= SECTION_CHARS:
            if self._room(self._messages[-1], self._chars[-1], 0, len(line) + 1):
                lines["text"]["text"] += "\n" + line
                self._chars[-1] += len(line) + 1
                return True
        if not self.add([_section(line)]):
            return False
        self._lines = self._messages[-1][-1]
        return True

    def close(self, blocks: list[Block]) -> None:
        """Appends the closing blocks to the last message (their room is kept free)."""
        self._messages[-1] += blocks

    def messages(self, heading: str) -> list[Message]:
        """The messages, each with a plain-text fallback (raw text is escaped here)."""
        text = escape(heading)
        return [
            {"text": text if i == 0 else f"{text} (part {i + 1})", "blocks": blocks}
            for i, blocks in enumerate(self._messages)
        ]

    @staticmethod
    def _room(message: list[Block], used: int, blocks: int, chars: int) -> bool:
        """Whether ``message`` (``used`` characters) takes ``blocks`` more blocks of
        ``chars`` characters and still has room for the closing blocks."""
        return (
            len(message) + blocks <= MESSAGE_BLOCKS - _CLOSING_BLOCKS
            and used + chars <= MESSAGE_CHARS - _CLOSING_CHARS
        )


def _source(number: int, ref: ArticleRef) -> str:
    line = f"[{number}] {source_line(ref)}"
    if len(line) <= SOURCE_CHARS:
        return line
    return cut(f"[{number}] {escape(one_line(ref.title, SOURCE_CHARS))}", SOURCE_CHARS)


def _section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text)}


def _context(items: list[str]) -> Block:
    return {"type": "context", "elements": [mrkdwn(t) for t in items]}
