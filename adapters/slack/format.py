"""Slack rendering: Block Kit messages with a plain-text fallback. Pure functions.

All corpus and user text is escaped (``&``, ``<``, ``>``), so no article or
question can produce ``<!channel>``, ``<!here>``, a user or group mention, or a
broken link. Slack's limits live here, next to the code that respects them
(the digest's own, a message's total text and the response_url's five messages,
beside its renderer in ``digest_format``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from adapters.wording import plural
from bot.models import Answer, ArticleRef

SECTION_CHARS = 3000  # text of one section block
CONTEXT_ELEMENTS = 10  # elements of one context block
MESSAGE_BLOCKS = 50  # blocks of one message
FALLBACK_CHARS = 3000  # the notification / plain-text ``text``

Block = dict[str, Any]
Message = dict[str, Any]  # {"text": str, "blocks": [Block, ...]}

_MENTION = re.compile(r"<[@!#][^>]*>")


def escape(text: str) -> str:
    """Escapes text for mrkdwn: ``&``, ``<`` and ``>`` become entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def strip_mentions(text: str) -> str:
    """A message's text without user, channel and special mentions (``<@U123>``)."""
    return " ".join(_MENTION.sub(" ", text).split())


def link(ref: ArticleRef) -> str:
    """``<url|title>`` for an http(s) URL; the escaped title alone otherwise."""
    title = escape(ref.title)
    if ref.url and ref.url.startswith(("http://", "https://")):
        safe = quote(ref.url, safe=":/?#[]@!$&'()*+,;=%~")
        return f"<{safe}|{title}>"
    return title


def source_line(ref: ArticleRef) -> str:
    """The link, then source and date."""
    details = [escape(d) for d in (ref.source, _date(ref)) if d]
    return " · ".join([link(ref), *details])


def answer_messages(answer: Answer) -> list[Message]:
    """An answer with numbered sources; when not sure, the closest quotes (each
    with its source) under a line saying this is not an answer; else the abstention."""
    searched = f"_Searched for: {escape(answer.searched_for)}_\n" if answer.searched_for else ""
    if not answer.answered:
        blocks = _sections(searched + escape(answer.text))
        for citation in answer.related:
            blocks += _sections(f"> {escape(citation.quote)}")
            blocks += _context([source_line(citation.article)])
        fallback = "\n".join([answer.text, *(f"> {c.quote}" for c in answer.related)])
        return _messages(blocks, fallback)
    numbers: dict[str, int] = {}
    refs: dict[str, ArticleRef] = {}
    sentences = []
    for citation in answer.citations:
        key = citation.article.article_id
        n = numbers.setdefault(key, len(numbers) + 1)
        refs[key] = citation.article
        sentences.append(f"{escape(citation.quote)} [{n}]")
    blocks = _sections(searched + " ".join(sentences))
    blocks += _context([f"[{n}] {source_line(refs[k])}" for k, n in numbers.items()])
    fallback = answer.text + "\n" + "\n".join(f"[{n}] {refs[k].title}" for k, n in numbers.items())
    return _messages(blocks, fallback)


def sources_messages(articles: Sequence[ArticleRef]) -> list[Message]:
    """Every article, newest first."""
    count = plural(len(articles), "article")
    lines = [f"*{count}:*", *(f"• {source_line(a)}" for a in articles)]
    return _messages(_sections("\n".join(lines)), count)


def text_message(text: str) -> list[Message]:
    """A plain note (usage help, rate limit, errors), escaped."""
    return _messages(_sections(escape(text)), text)


def _sections(text: str) -> list[Block]:
    """Section blocks of at most ``SECTION_CHARS``, split at line, then word, boundaries."""
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": chunk}}
        for chunk in _chunks(text, SECTION_CHARS)
    ]


def _context(items: Iterable[str]) -> list[Block]:
    elements = [{"type": "mrkdwn", "text": t[:SECTION_CHARS]} for t in items]
    return [
        {"type": "context", "elements": elements[i : i + CONTEXT_ELEMENTS]}
        for i in range(0, len(elements), CONTEXT_ELEMENTS)
    ]


def _messages(blocks: list[Block], fallback: str) -> list[Message]:
    """Splits blocks into messages of at most ``MESSAGE_BLOCKS``, in order.

    ``fallback`` is raw text: Slack parses the ``text`` field too, so it is escaped here.
    """
    text = escape(
        fallback if len(fallback) <= FALLBACK_CHARS else fallback[: FALLBACK_CHARS - 1] + "…"
    )
    groups = [blocks[i : i + MESSAGE_BLOCKS] for i in range(0, len(blocks), MESSAGE_BLOCKS)]
    return [
        {"text": text if i == 0 else f"{text[:200]} (part {i + 1})", "blocks": group}
        for i, group in enumerate(groups or [[]])
    ]


def _chunks(text: str, size: int) -> list[str]:
    chunks: list[str] = []
    while len(text) > size:
        cut = text.rfind("\n", 0, size)
        if cut <= 0:
            cut = text.rfind(" ", 0, size)
        if cut <= 0:
            cut = size
        # Never cut inside an entity ("&amp;") or a link ("<url|title>").
        while re.search(r"&[a-z]*$|<[^>]*$", text[:cut]) and cut > size // 2:
            cut -= 1
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        chunks.append(text)
    return chunks


def _date(ref: ArticleRef) -> str | None:
    return ref.published.isoformat() if ref.published else None
