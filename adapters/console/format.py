"""Terminal and JSON rendering of answers, search results and sources. Pure functions.

Article text reaches a terminal, which acts on control sequences: every text
rendering goes through ``printable`` (no escape sequence, carriage return or
direction override from an article is printed), JSON escapes the same
characters, and only an article's http(s) URL is shown (``adapters.links``).
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence
from typing import Any

from adapters import digest_layout as layout
from adapters.citations import number_citations
from adapters.links import web_url
from adapters.requests import DigestPage, Failure, Result, Sources
from adapters.wording import corpus_size, digest_span, plural
from bot.models import Answer, ArticleRef, Citation, Command, Digest, Help, SearchResult

WIDTH = 88
PASSAGE_PREVIEW = 320


QUOTE_PREVIEW = 300
#: What a terminal acts on rather than prints: C0 controls but tab and line feed
#: (ESC opens colour, cursor and OSC 8 hyperlink sequences; CR overwrites a line),
#: DEL, C1 controls (0x9B is a one-byte CSI), and the bidirectional embeddings,
#: overrides and isolates that reorder what is shown.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` without the characters a terminal would act on (see ``_UNSAFE``)."""
    return _UNSAFE.sub("", text)


def render(result: Result, *, full: int) -> str:
    """What the console prints for ``result``.

    Args:
        result: what ``adapters.requests.call`` returned.
        full: stories a digest shows in full.
    """
    if isinstance(result, Answer):
        return answer_text(result)
    if isinstance(result, SearchResult):
        return search_text(result)
    if isinstance(result, Sources):
        return sources_text(result.articles)
    if isinstance(result, DigestPage):
        return digest_text(result.digest, full=full)
    if isinstance(result, Help):
        return help_text(result)
    if isinstance(result, Failure):
        return result.text
    raise TypeError(f"the console's render does not lay out a {type(result).__name__}")


def answer_text(answer: Answer) -> str:
    """An answer with numbered sources; when not sure, the closest quotes with
    their sources, labelled as not an answer; else the plain abstention."""
    searched = [f"(searched for: {answer.searched_for})", ""] if answer.searched_for else []
    if not answer.answered:
        lines = [*searched, answer.text]
        for citation in answer.related:
            quote = textwrap.shorten(citation.quote, QUOTE_PREVIEW, placeholder=" …")
            lines += ["", textwrap.indent(textwrap.fill(f'"{quote}"', WIDTH - 4), "  > ")]
            lines.append(f"    — {_ref_line(citation.article)}")
            if url := web_url(citation.article.url):
                lines.append(f"      {url}")
        return printable("\n".join(lines))
    numbered = number_citations(answer.citations)
    sentences = [f"{quote} [{n}]" for quote, n in numbered.quotes]
    lines = [*searched, textwrap.fill(" ".join(sentences), WIDTH), "", "Sources:"]
    for n, ref in numbered.sources:
        lines.append(f"  [{n}] {_ref_line(ref)}")
        if url := web_url(ref.url):
            lines.append(f"      {url}")
    return printable("\n".join(lines))


#: The console's own commands, after the core's (``help`` and ``quit`` never reach it).
_OWN_COMMANDS = (("/help", "this help"), ("/quit", "leave (Ctrl-D works too)"))
_USAGE_WIDTH = 16  # "/digest [DATE]" and two spaces: the summaries line up after it


def help_text(info: Help) -> str:
    """The console's help: what teambot is, how to ask, then one line per command
    (a question is typed as it is, so ``ask`` has no line of its own)."""
    lines = [
        info.about,
        "",
        f'{corpus_size(info.articles)} Type a question and press Enter, e.g. "{info.example}"',
        "",
        "Commands (help and sources work without the slash too):",
    ]
    for command in info.commands:
        if command.name != "ask":
            lines += _command_lines(command)
    lines += [f"  {usage:<{_USAGE_WIDTH}}{summary}" for usage, summary in _OWN_COMMANDS]
    return "\n".join(lines)


def _command_lines(command: Command) -> list[str]:
    """``/digest [DATE]  the stories…``, then the forms the argument takes, if any."""
    usage = f"/{command.name}"
    if command.argument:
        argument = command.argument.upper()
        usage += f" [{argument}]" if command.optional else f" {argument}"
    lines = [f"  {usage:<{_USAGE_WIDTH}}{command.summary}"]
    if command.argument and command.forms:
        forms = ", ".join(command.forms[:-1]) + f" or {command.forms[-1]}"
        lines.append(f"  {'':<{_USAGE_WIDTH}}({command.argument.upper()}: {forms})")
    return lines


def search_text(result: SearchResult) -> str:
    """Numbered hits with their best passage."""
    if not result.hits:
        return f"No articles match {result.query!r}."
    lines = []
    for n, hit in enumerate(result.hits, 1):
        ref = hit.passage.article
        lines.append(f"{n}. {_ref_line(ref)}  (score {hit.score:.2f})")
        preview = textwrap.shorten(hit.passage.text, PASSAGE_PREVIEW, placeholder=" …")
        lines.append(textwrap.indent(textwrap.fill(preview, WIDTH - 3), "   "))
    return printable("\n".join(lines))


def sources_text(articles: Sequence[ArticleRef]) -> str:
    """Every article, one line each with its id."""
    lines = [f"{plural(len(articles), 'article')}:"]
    lines += [f"  {ref.article_id}  {_ref_line(ref)}" for ref in articles]
    return printable("\n".join(lines))


def answer_json(answer: Answer) -> str:
    """The ``ask --json`` object, on one line."""
    return _dump(
        {
            "question": answer.question,
            "answered": answer.answered,
            "answer": answer.text,
            "citations": [{**_ref_json(c.article), "quote": c.quote} for c in answer.citations],
            "confidence": round(answer.confidence, 4),
            "related": [_quote_json(c) for c in answer.related],
            "searched_for": answer.searched_for,
        }
    )


def _quote_json(citation: Citation) -> dict[str, Any]:
    ref = citation.article
    return {
        "article_id": ref.article_id,
        "title": ref.title,
        "url": ref.url,
        "quote": citation.quote,
    }


def search_json(result: SearchResult) -> str:
    """The ``search --json`` object, on one line."""
    return _dump(
        {
            "query": result.query,
            "took_ms": round(result.took_ms, 3),
            "hits": [
                {
                    "article_id": h.passage.article.article_id,
                    "title": h.passage.article.title,
                    "url": h.passage.article.url,
                    "score": round(h.score, 4),
                    "passage": h.passage.text,
                }
                for h in result.hits
            ],
        }
    )


def digest_text(digest: Digest, *, full: int) -> str:
    """The first ``full`` stories in full (summary, key points citing their numbered
    sources, names), then one line for each other story. A terminal has no message
    limit, so every story is there."""
    span = digest_span(digest)
    if digest.empty:
        return f"Nothing new {span}."
    lines = [f"Digest {span}: {plural(len(digest.stories), 'story')}"]
    brief = False
    for item in layout.items(digest, full):
        if isinstance(item, layout.FullStory):
            lines += ["", *_full_story(item)]
            continue
        if not brief:
            lines.append("")
            brief = True
        lines.append(item.text())
    return printable("\n".join(lines))


def _full_story(item: layout.FullStory) -> list[str]:
    story = item.story
    lines = [f"{item.number}. {story.headline}"]
    lines.append(textwrap.indent(textwrap.fill(story.summary, WIDTH - 3), "   "))
    if item.key_points:
        lines.append("   Key points:")
        for point in item.key_points:
            text = f"{point.text} [{point.source}]"
            lines.append(
                textwrap.fill(text, WIDTH, initial_indent="     - ", subsequent_indent=" " * 7)
            )
    if story.entities:
        names = f"Names: {', '.join(story.entities)}"
        lines.append(textwrap.fill(names, WIDTH, initial_indent="   ", subsequent_indent=" " * 10))
    lines.append(f"   Sources ({len(story.articles)}):")
    for n, ref in item.sources:
        url = web_url(ref.url)
        lines.append(f"     [{n}] {_ref_line(ref)}" + (f" {url}" if url else ""))
    if item.unlisted:
        lines.append(f"     {layout.unlisted_sources(item.unlisted)}")
    return lines


def digest_json(digest: Digest) -> str:
    """The ``digest --json`` object, on one line: every story, complete (a script
    gets the whole digest; ``TEAMBOT_DIGEST_STORIES`` shapes what people read)."""
    since, until = _bounds(digest)
    return _dump(
        {
            "since": since,
            "until": until,
            "stories": [
                {
                    "headline": story.headline,
                    "summary": story.summary,
                    "entities": list(story.entities),
                    "articles": [_ref_json(ref) for ref in story.articles],
                    "key_points": [
                        {"name": p.name, "text": p.text, "source": p.source}
                        for p in story.key_points
                    ],
                }
                for story in digest.stories
            ],
        }
    )


def _bounds(digest: Digest) -> tuple[str, str]:
    if digest.days is not None:
        return digest.days[0].isoformat(), digest.days[1].isoformat()
    zone = digest.since.tzinfo
    return (
        digest.since.isoformat(timespec="seconds"),
        digest.until.astimezone(zone).isoformat(timespec="seconds"),
    )


def error_json(field: str, text: str, message: str) -> str:
    """A batch-mode line for an input that was refused."""
    return _dump({field: text, "error": message})


def _ref_line(ref: ArticleRef) -> str:
    details = [d for d in (ref.source, ref.published.isoformat() if ref.published else None) if d]
    return f"{ref.title} ({', '.join(details)})" if details else ref.title


def _ref_json(ref: ArticleRef) -> dict[str, Any]:
    return {
        "article_id": ref.article_id,
        "title": ref.title,
        "url": ref.url,
        "source": ref.source,
        "published": ref.published.isoformat() if ref.published else None,
    }


def _dump(obj: dict[str, Any]) -> str:
    # json escapes C0 controls itself; with ensure_ascii off it would print C1 and
    # direction controls raw, and a terminal showing the line would act on them.
    text = json.dumps(obj, ensure_ascii=False)
    return _UNSAFE.sub(lambda found: f"\\u{ord(found[0]):04x}", text)
