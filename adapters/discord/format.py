"""Discord rendering: embeds (as Discord's JSON dicts) and content. Pure functions.

Discord's limits live here: 2,000 characters of content, 4,096 of embed
description, 256 of a title or field name, 1,024 of a field value, 25 fields
an embed, 10 embeds and 6,000 embed characters a message. Longer output is
split into several messages, in order. Markdown in corpus and user text is
escaped, and a zero-width space defuses what would still act: after ``@`` (so
nothing even looks like a ping; every message is also sent with no allowed
mentions), after ``<`` (channel, role and command mentions, timestamps) and in
``://`` (bare URLs, which Discord would make links). Only an article's own
http(s) URL becomes a link (``adapters.links``), and a link is never cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from adapters.citations import number_citations
from adapters.digest_pages import sources_page, sources_token
from adapters.links import web_url
from adapters.requests import Failure, Result, Sources
from adapters.wording import chat_help, one_line, sources_heading
from bot.models import Answer, ArticleRef, Citation, Command, Help

CONTENT_CHARS = 2000
DESCRIPTION_CHARS = 4096
TITLE_CHARS = 256
FIELD_NAME_CHARS = 256
FIELD_VALUE_CHARS = 1024
EMBED_FIELDS = 25
MESSAGE_EMBEDS = 10
MESSAGE_EMBED_CHARS = 6000
COLOUR = 0x5865F2
#: An article title shown in a link, and a source's name: a line each; a runaway
#: one is cut so a source (link, name and date) always fits one field value.
LINK_TITLE_CHARS = 200
DETAIL_CHARS = 100
#: What stands in for text that came out empty: Discord refuses an empty message,
#: title, description or field.
EMPTY = "…"

Embed = dict[str, Any]
_MARKDOWN = re.compile(r"([\\*_~`|\[\]])")  # anywhere; [ ] also rules out masked links
_LINE_START = re.compile(r"(?m)^(\s*)([>#-])")  # quotes, headings and lists start a line


@dataclass(frozen=True, slots=True)
class Reply:
    """One Discord message: content and embeds; ``more``, the page a "More" button
    under it continues a digest or the article list from (``adapters.digest_pages``)."""

    content: str = ""
    embeds: tuple[Embed, ...] = field(default_factory=tuple)
    more: str | None = None


def escape(text: str) -> str:
    """Escapes markdown and defuses mentions, ``<…>`` syntax and bare URLs: each
    stays visible but inert (``@everyone``, ``<#123>``, ``https://…``)."""
    escaped = _LINE_START.sub(r"\1\\\2", _MARKDOWN.sub(r"\\\1", text))
    return escaped.replace("@", "@\u200b").replace("<", "<\u200b").replace("://", ":\u200b//")


def strip_mentions(text: str) -> str:
    """A message's text without user, role, channel, ``@everyone`` or ``@here`` mentions."""
    return " ".join(re.sub(r"<(@[!&]?|#)\d+>|@(everyone|here)\b", " ", text).split())


def source_value(ref: ArticleRef) -> str:
    """``[title](url) · source · date`` within a field value; the plain title when
    the URL is not a web URL, or too long to fit (a link is never cut)."""
    title = escape(one_line(ref.title, LINK_TITLE_CHARS))
    published = ref.published.isoformat() if ref.published else None
    details = [escape(cut(d, DETAIL_CHARS)) for d in (ref.source, published) if d]
    url = web_url(ref.url)
    value = " · ".join([f"[{title}]({url})" if url else title, *details])
    if len(value) > FIELD_VALUE_CHARS:
        value = " · ".join([title, *details])
    return cut(value, FIELD_VALUE_CHARS)


def _quote_value(citation: Citation) -> str:
    """``> quote`` then the source, within a field's limit (the quote gives way first)."""
    source = source_value(citation.article)
    room = max(0, FIELD_VALUE_CHARS - len(source) - 3)
    return f"> {cut(escape(citation.quote), room)}\n{source}"


def answer_replies(answer: Answer) -> list[Reply]:
    """An answer embed with numbered sources; when not sure, the closest quotes
    (each a field with its source) under a line saying this is not an answer."""
    searched = f"*Searched for: {escape(answer.searched_for)}*\n" if answer.searched_for else ""
    if not answer.answered:
        embed: Embed = {
            "description": cut(searched + escape(answer.text), DESCRIPTION_CHARS),
            "color": COLOUR,
        }
        if answer.related:
            embed["fields"] = [
                {
                    "name": f"Closest passage {n}",
                    "value": _quote_value(citation),
                    "inline": False,
                }
                for n, citation in enumerate(answer.related, 1)
            ]
        return _replies([embed])
    numbered = number_citations(answer.citations)
    sentences = [f"{escape(quote)} [{n}]" for quote, n in numbered.quotes]
    fields = [
        {"name": f"[{n}]", "value": source_value(ref), "inline": False}
        for n, ref in numbered.sources
    ]
    embeds = with_fields(
        {"description": cut(searched + " ".join(sentences), DESCRIPTION_CHARS), "color": COLOUR},
        fields,
    )
    return _replies(embeds)


def sources_replies(articles: Sequence[ArticleRef], start: int = 0) -> list[Reply]:
    """One page of the article list (``articles``, newest first) from index ``start``:
    at most ``SOURCES_PAGE`` numbered lines in one embed titled with the count; its
    ``more`` continues the list when more follow."""
    start = max(0, start)
    lines = sources_page(articles, start, source_value, DESCRIPTION_CHARS)
    shown = start + len(lines)
    embed: Embed = {"title": sources_heading(len(articles), start + 1, shown), "color": COLOUR}
    if lines:
        embed["description"] = "\n".join(lines)
    more = sources_token(shown) if shown < len(articles) else None
    return [Reply(embeds=(embed,), more=more)]


def render(result: Result) -> list[Reply]:
    """The replies that show ``result``: an answer, a page of the article list, or a
    failure's note. (A digest is laid out by ``digest_format.digest_replies``, which
    needs the number of stories shown in full.)

    Raises:
        TypeError: a digest or search result.
    """
    if isinstance(result, Answer):
        return answer_replies(result)
    if isinstance(result, Sources):
        return sources_replies(result.articles, result.start)
    if isinstance(result, Help):
        return text_reply(help_text(result))
    if isinstance(result, Failure):
        return text_reply(result.text)
    raise TypeError(f"Discord's render does not lay out a {type(result).__name__}")


def help_text(info: Help) -> str:
    """Discord's help, raw (``text_reply`` escapes it): what teambot is, then one
    line per way to use it."""
    ask = info.command("ask")
    return chat_help(
        info,
        f"• Ask: mention me with a {ask.argument}, send me a DM, or use /ask {ask.argument}: …",
        _usage,
    )


def _usage(command: Command) -> str:
    """``/sources``, ``/digest [date: today, yesterday or YYYY-MM-DD]``: as Discord
    shows a slash command and its option."""
    if not command.argument:
        return f"/{command.name}"
    forms = command.forms
    value = " or ".join(filter(None, (", ".join(forms[:-1]), forms[-1]))) if forms else "…"
    option = f"{command.argument}: {value}"
    return f"/{command.name} [{option}]" if command.optional else f"/{command.name} {option}"


def text_reply(text: str) -> list[Reply]:
    """A plain note (usage, rate limit, errors), escaped and within the content limit."""
    return [Reply(content=cut(escape(text), CONTENT_CHARS) or EMPTY)]


def embed_size(embed: Embed) -> int:
    """The characters Discord counts towards the 6,000 a message."""
    size = len(embed.get("title", "")) + len(embed.get("description", ""))
    size += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    return size + len(embed.get("footer", {}).get("text", ""))


def with_fields(base: Embed, fields: list[dict[str, Any]]) -> list[Embed]:
    """``base`` carrying fields; past 25 fields or the 6,000-character budget of one
    embed, the rest continue in follow-on embeds (so each embed fits one message)."""
    embeds = [dict(base, fields=[])] if fields else [base]
    for item in fields:
        current = embeds[-1]
        if (
            len(current["fields"]) == EMBED_FIELDS
            or embed_size(current) + len(item["name"]) + len(item["value"]) > MESSAGE_EMBED_CHARS
        ):
            current = {"color": base.get("color", COLOUR), "fields": []}
            embeds.append(current)
        current["fields"].append(item)
    return embeds


def tidy(embed: Embed) -> Embed:
    """``embed`` without an empty title or description (Discord refuses them), and
    never empty itself."""
    kept = {k: v for k, v in embed.items() if v or k not in ("title", "description")}
    if not any(kept.get(k) for k in ("title", "description", "fields")):
        kept["description"] = EMPTY
    return kept


def _replies(embeds: list[Embed]) -> list[Reply]:
    """Packs embeds into messages of at most 10 embeds and 6,000 characters, in order."""
    replies: list[Reply] = []
    current: list[Embed] = []
    size = 0
    for embed in map(tidy, embeds):
        n = embed_size(embed)
        if current and (len(current) == MESSAGE_EMBEDS or size + n > MESSAGE_EMBED_CHARS):
            replies.append(Reply(embeds=tuple(current)))
            current, size = [], 0
        current.append(embed)
        size += n
    if current:
        replies.append(Reply(embeds=tuple(current)))
    return replies or [Reply()]


def cut(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, ending with "…" when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
