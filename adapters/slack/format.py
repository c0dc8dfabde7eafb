"""Slack rendering: Block Kit messages with a plain-text fallback. Pure functions.

All corpus and user text is escaped (``&``, ``<``, ``>``), and every mrkdwn text
is ``verbatim``, so Slack turns no plain "@channel", channel name or bare URL into
a mention or link: no article or question can ping anyone or plant a link. Only
an article's own http(s) URL becomes a link (``adapters.links``), and a cut never
falls inside a link or an entity. Slack's limits live here, next to the code that
respects them (the digest's own, and the response_url's five messages, beside its
renderer in ``digest_format``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from adapters.citations import number_citations
from adapters.digest_pages import sources_page, sources_token
from adapters.links import web_url
from adapters.requests import Failure, Result, Sources
from adapters.wording import chat_help, one_line, sources_heading
from bot.models import Answer, ArticleRef, Command, Help

SECTION_CHARS = 3000  # text of one section block or context element
CONTEXT_ELEMENTS = 10  # elements of one context block
MESSAGE_BLOCKS = 50  # blocks of one message
FALLBACK_CHARS = 3000  # the notification / plain-text ``text``
#: Text in one message's blocks. Slack documents no total, but refuses messages
#: whose blocks hold more than about 13,200 characters with ``msg_blocks_too_long``
#: (slackapi/bolt-js#2509); 12,000 leaves room for link markup.
MESSAGE_CHARS = 12_000
#: An article title or a quoted sentence is a line or two; a runaway one (a file
#: with no line breaks) is cut rather than let it crowd out everything else.
TITLE_CHARS = 300
QUOTE_CHARS = 1000
DETAIL_CHARS = 100  # a source's name
#: A source line at most, leaving room for its number ("[12] ", "20000. ") within
#: a section; a line over it (a huge URL) shows the title without its link, so a
#: link is never cut.
LINE_CHARS = SECTION_CHARS - 100
#: The lines of one /sources page, leaving room in its message for the heading
#: and the "More articles" button.
SOURCES_CHARS = MESSAGE_CHARS - 1000
#: The action id of the "More articles" button under a /sources page.
SOURCES_ACTION = "teambot_sources_more"

Block = dict[str, Any]
Message = dict[str, Any]  # {"text": str, "blocks": [Block, ...]}

_MENTION = re.compile(r"<[@!#][^>]*>")
_ENTITY = 5  # the longest entity escape() writes: "&amp;"


def escape(text: str) -> str:
    """Escapes text for mrkdwn: ``&``, ``<`` and ``>`` become entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def strip_mentions(text: str) -> str:
    """A message's text without user, channel and special mentions (``<@U123>``)."""
    return " ".join(_MENTION.sub(" ", text).split())


def mrkdwn(text: str) -> dict[str, Any]:
    """A mrkdwn text object that Slack renders as written (``verbatim``): no plain
    "@channel", channel name or URL in it becomes a mention or a link."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def link(ref: ArticleRef) -> str:
    """``<url|title>`` for an http(s) URL; the escaped title alone otherwise. The
    URL's ``&`` is escaped too: Slack reads entities there."""
    title = escape(_title(ref))
    url = web_url(ref.url)
    return f"<{escape(url)}|{title}>" if url else title


def source_line(ref: ArticleRef) -> str:
    """The link, then source and date, within ``LINE_CHARS``."""
    details = [escape(_clip(d, DETAIL_CHARS)) for d in (ref.source, _date(ref)) if d]
    line = " · ".join([link(ref), *details])
    if len(line) > LINE_CHARS:
        line = " · ".join([escape(_title(ref)), *details])
    return line


def answer_messages(answer: Answer) -> list[Message]:
    """An answer with numbered sources; when not sure, the closest quotes (each
    with its source) under a line saying this is not an answer; else the abstention."""
    searched = f"_Searched for: {escape(answer.searched_for)}_\n" if answer.searched_for else ""
    if not answer.answered:
        blocks = _sections(searched + escape(answer.text))
        for citation in answer.related:
            blocks += _sections(f"> {escape(_clip(citation.quote, QUOTE_CHARS))}")
            blocks += _context([source_line(citation.article)])
        fallback = "\n".join([answer.text, *(f"> {c.quote}" for c in answer.related)])
        return _messages(blocks, fallback)
    numbered = number_citations(answer.citations)
    sentences = [f"{escape(_clip(quote, QUOTE_CHARS))} [{n}]" for quote, n in numbered.quotes]
    blocks = _sections(searched + " ".join(sentences))
    blocks += _context([f"[{n}] {source_line(ref)}" for n, ref in numbered.sources])
    fallback = answer.text + "\n" + "\n".join(f"[{n}] {ref.title}" for n, ref in numbered.sources)
    return _messages(blocks, fallback)


def sources_messages(articles: Sequence[ArticleRef], start: int = 0) -> list[Message]:
    """One page of the article list (``articles``, newest first) from index ``start``:
    at most ``SOURCES_PAGE`` numbered lines in one message, under a heading with the
    count, then a "More articles" button (``SOURCES_ACTION``) when more follow."""
    start = max(0, start)
    lines = sources_page(articles, start, source_line, SOURCES_CHARS)
    shown = start + len(lines)
    heading = sources_heading(len(articles), start + 1, shown)
    blocks = _sections("\n".join([f"*{escape(heading)}*", *lines]))
    if shown < len(articles):
        blocks.append(button(SOURCES_ACTION, "More articles", sources_token(shown)))
    return _messages(blocks, heading)


def render(result: Result) -> list[Message]:
    """The messages that show ``result``: an answer, a page of the article list, or
    a failure's note. (A digest is laid out by ``digest_format.digest_messages``,
    which needs the settings of its listener.)

    Raises:
        TypeError: a digest or search result.
    """
    if isinstance(result, Answer):
        return answer_messages(result)
    if isinstance(result, Sources):
        return sources_messages(result.articles, result.start)
    if isinstance(result, Help):
        return text_message(_help_plain(result))
    if isinstance(result, Failure):
        return text_message(result.text)
    raise TypeError(f"Slack's render does not lay out a {type(result).__name__}")


def ack_text(result: Result) -> str:
    """A slash command's acknowledgement showing ``result`` (help, or a failure's
    note): mrkdwn, escaped.

    Raises:
        TypeError: anything else (answers follow through ``response_url``).
    """
    if isinstance(result, Help):
        return escape(_help_plain(result))
    if isinstance(result, Failure):
        return escape(result.text)
    raise TypeError(f"a Slack acknowledgement does not show a {type(result).__name__}")


def _help_plain(info: Help) -> str:
    """Slack's help, raw: what teambot is, then one line per way to use it."""
    ask = info.command("ask")
    return chat_help(
        info,
        f"• Ask: `/ask {info.example}`, mention me with a {ask.argument} in a channel, "
        "or send me a DM",
        _usage,
    )


def _usage(command: Command) -> str:
    """``/sources``, ``/digest [today | yesterday | YYYY-MM-DD]``: as typed in Slack."""
    if not command.argument:
        return f"/{command.name}"
    argument = " | ".join(command.forms) if command.forms else command.argument
    return f"/{command.name} [{argument}]" if command.optional else f"/{command.name} {argument}"


def text_message(text: str) -> list[Message]:
    """A plain note (usage help, rate limit, errors), escaped."""
    return _messages(_sections(escape(text)), text)


def button(action_id: str, label: str, value: str) -> Block:
    """An actions block holding one button."""
    return {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": action_id,
                "text": {"type": "plain_text", "text": label},
                "value": value,
            }
        ],
    }


def block_chars(block: Block) -> int:
    """The characters of text in ``block`` that count towards ``MESSAGE_CHARS``."""
    texts = [block.get("text", {}).get("text", "")]
    texts += [e.get("text", "") for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
    return sum(len(t) for t in texts)


def cut(text: str, limit: int) -> str:
    """Escaped ``text`` within ``limit`` characters, ending with "…" when cut and
    never inside an entity (``&amp;``)."""
    if len(text) <= limit:
        return text
    end = max(0, limit - 1)
    amp = text.rfind("&", max(0, end - _ENTITY + 1), end)
    if amp >= 0 and ";" not in text[amp:end]:
        end = amp
    return text[:end].rstrip() + "…"


def _sections(text: str) -> list[Block]:
    """Section blocks of at most ``SECTION_CHARS``, split at line, then word, boundaries."""
    return [{"type": "section", "text": mrkdwn(chunk)} for chunk in _chunks(text, SECTION_CHARS)]


def _context(items: Iterable[str]) -> list[Block]:
    elements = [mrkdwn(cut(t, SECTION_CHARS)) for t in items]
    return [
        {"type": "context", "elements": elements[i : i + CONTEXT_ELEMENTS]}
        for i in range(0, len(elements), CONTEXT_ELEMENTS)
    ]


def _messages(blocks: list[Block], fallback: str) -> list[Message]:
    """Packs blocks into messages of at most ``MESSAGE_BLOCKS`` blocks and
    ``MESSAGE_CHARS`` characters, in order.

    ``fallback`` is raw text: Slack parses the ``text`` field too, so it is
    escaped here, then cut to ``FALLBACK_CHARS``.
    """
    text = cut(escape(fallback), FALLBACK_CHARS) or "…"
    groups: list[list[Block]] = [[]]
    used = 0
    for block in blocks:
        size = block_chars(block)
        if groups[-1] and (len(groups[-1]) == MESSAGE_BLOCKS or used + size > MESSAGE_CHARS):
            groups.append([])
            used = 0
        groups[-1].append(block)
        used += size
    return [
        {"text": text if i == 0 else f"{cut(text, 200)} (part {i + 1})", "blocks": group}
        for i, group in enumerate(groups)
    ]


def _chunks(text: str, size: int) -> list[str]:
    chunks: list[str] = []
    while len(text) > size:
        end = text.rfind("\n", 0, size)
        if end <= 0:
            end = text.rfind(" ", 0, size)
        if end <= 0:
            end = size
        end = _outside_markup(text, end)
        chunks.append(text[:end].rstrip())
        text = text[end:].lstrip()
    if text:
        chunks.append(text)
    return [c for c in chunks if c]


def _outside_markup(text: str, end: int) -> int:
    """``end`` moved back, if need be, so ``text[:end]`` ends outside any link
    (``<url|title>``) and entity (``&amp;``); unchanged if that leaves nothing."""
    opened = text.rfind("<", 0, end)
    if opened > text.rfind(">", 0, end):
        end = opened or end
    amp = text.rfind("&", max(0, end - _ENTITY + 1), end)
    if amp > 0 and ";" not in text[amp:end]:
        end = amp
    return end


def _clip(text: str, limit: int) -> str:
    """Raw ``text`` within ``limit`` characters, ending with "…" when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _title(ref: ArticleRef) -> str:
    return one_line(ref.title, TITLE_CHARS)


def _date(ref: ArticleRef) -> str | None:
    return ref.published.isoformat() if ref.published else None
