"""Builds an ``Article`` from raw text: front matter first, heuristics second."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from urllib.parse import urlsplit

from bot.models import Article, Section
from bot.text.clean import Block, strip_markup, to_blocks
from bot.text.dates import find_date, parse_date
from bot.text.entities import named_entities

# "(Source: …)": what follows the colon, up to an optional closing parenthesis. (A lazy
# group followed by optional spaces took time quadratic in a run of spaces.)
_SOURCE_LINE = re.compile(r"^\(?\s*source\s*:(?P<rest>[^)]*+)\)?$", re.I)
_BYLINE = re.compile(
    r"^(?:from|by|via)\s+(?P<source>.+?)\s*(?:[—–|]|\s-\s|,)\s*(?P<rest>.*)$", re.I
)
_URL_LINE = re.compile(r"^<?(https?://\S+?)>?$")
_BACK_MATTER = re.compile(
    r"^(references|sources|further reading|see also|related( articles| stories| reading)?"
    r"|more (on|from) .*|read more)$",
    re.I,
)
_UNKNOWN = frozenset({"", "unknown", "none", "n/a", "null"})
_OPENING_LINES = 8
_MAX_TITLE_WORDS = 20
_MAX_DATE_LINE_WORDS = 12
# A dateline or byline is short ("From The Bit Baker newsletter — February 14, 2026");
# the byline pattern takes time quadratic in a long run of spaces, so longer lines
# are never tried as one.
_MAX_DATE_LINE_CHARS = 200
# A generated title names what the article's first ~15,000 words mention most:
# finding every name in a 10 MB article took seconds, for a title alone.
_TITLE_NAMES_CHARS = 100_000

Warn = Callable[[str], None]


def parse_article(
    article_id: str,
    body: str,
    meta: Mapping[str, object],
    *,
    path: str | None = None,
    warn: Warn | None = None,
) -> Article | None:
    """Parses one article; returns ``None`` when it has no text left after cleaning.

    Args:
        article_id: the file stem or JSONL id.
        body: the text after any front matter.
        meta: front matter or JSONL fields (``title``, ``url``, ``source``, ``published``).
        path: where the article came from, for messages.
        warn: called with a message for metadata that had to be ignored.
    """
    links: list[str] = []
    lines = [line.strip() for line in body.splitlines()]
    title = _text(meta.get("title"))
    url = _checked_url(_text(meta.get("url") or meta.get("link")), warn)
    source = _text(meta.get("source"))
    published = parse_date(meta.get("published") or meta.get("date"))
    if meta.get("published") and published is None and warn:
        warn(f"unreadable published date {str(meta.get('published'))[:40]!r}; ignored")

    if title is None:
        title = _take_title(lines, links)
    found = _take_opening_metadata(lines, need_date=published is None)
    published = published or found.published
    url = url or _checked_url(found.url, warn)
    source_line = _take_source_line(lines, warn)  # always removed from the body
    source = source or found.source or source_line or _domain(url)

    blocks = to_blocks("\n".join(lines), links)
    sections = _sections(blocks)
    if not sections:
        return None
    generated = title is None
    if title is None:
        title = _generated_title(sections, article_id)
    return Article(
        id=article_id,
        title=title,
        sections=sections,
        url=url,
        source=source,
        published=published,
        path=path,
        links=tuple(dict.fromkeys(links)),
        generated_title=generated,
    )


class _Opening:
    def __init__(self) -> None:
        self.published: date | None = None
        self.source: str | None = None
        self.url: str | None = None


def _text(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = " ".join(str(value).split())
    return None if text.lower() in _UNKNOWN else text


def _take_title(lines: list[str], links: list[str]) -> str | None:
    """Takes a short first line (or a markdown H1) as the title, removing it."""
    for i, line in enumerate(lines):
        if not line:
            continue
        is_h1 = line.startswith("# ")
        text = strip_markup(line[2:] if is_h1 else line, links)
        words = text.split()
        short = 0 < len(words) <= _MAX_TITLE_WORDS and not text.endswith((".", ",", ";"))
        if (is_h1 or short) and not _URL_LINE.match(text) and find_date(text) is None:
            lines[i] = ""
            return text
        return None
    return None


def _take_opening_metadata(lines: list[str], *, need_date: bool) -> _Opening:
    """Reads a dateline, byline or URL from the opening lines, removing what it used."""
    found = _Opening()
    seen = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        seen += 1
        if seen > _OPENING_LINES:
            break
        url = _URL_LINE.match(line)
        if url and found.url is None:
            found.url, lines[i] = url.group(1), ""
            continue
        if not need_date or found.published or len(line) > _MAX_DATE_LINE_CHARS:
            continue
        if len(line.split()) > _MAX_DATE_LINE_WORDS:
            continue
        dated = find_date(line)
        if dated is None:
            continue
        found.published, match = dated
        byline = _BYLINE.match(line)
        if byline and match.group(0) in byline.group("rest"):
            found.source = byline.group("source").strip()
        lines[i] = ""
    return found


def _take_source_line(lines: list[str], warn: Warn | None) -> str | None:
    """Removes every "(Source: …)" line; the first names the source."""
    found: str | None = None
    for i, line in enumerate(lines):
        match = _SOURCE_LINE.match(line)
        rest = match.group("rest") if match else ""
        # The source between the spaces around it (one space when there is nothing else).
        source = rest.strip() or rest[-1:]
        if not source:
            continue
        lines[i] = ""
        if "://" in source and _checked_url(source, warn) is None:
            continue
        found = found or _domain(source) or source.strip()
    return found


def _checked_url(url: str | None, warn: Warn | None) -> str | None:
    """``url``, or ``None`` when it cannot be parsed (``http://[x``), with a warning."""
    if url is None:
        return None
    try:
        _ = urlsplit(url).port  # parses the host and port: raises if either is malformed
    except ValueError:
        if warn:
            warn(f"unreadable URL {url[:80]!r}; ignored")
        return None
    return url


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    candidate = url if "://" in url else f"https://{url.strip()}"
    try:
        host = urlsplit(candidate).hostname or ""
    except ValueError:  # "[x": not a host at all
        return None
    if "." not in host:
        return None
    return host.removeprefix("www.")


def _sections(blocks: list[Block]) -> tuple[Section, ...]:
    """Groups blocks under headings, indexing a repeated paragraph only once."""
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[str] = []
    seen: set[str] = set()
    for block in blocks:
        if block.is_heading:
            if paragraphs and not _is_back_matter(heading):
                sections.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = block.text, []
            continue
        key = _paragraph_key(block.text)
        if key in seen:
            continue
        seen.add(key)
        paragraphs.append(block.text)
    if paragraphs and not _is_back_matter(heading):
        sections.append(Section(heading, tuple(paragraphs)))
    return tuple(sections)


def _paragraph_key(text: str) -> str:
    """The paragraph lower-cased with its spaces normalised: equal for repeats."""
    lowered = text.lower()
    # Cleaning leaves one space between words; on ASCII, every other whitespace
    # character is a control character, which isprintable() rules out.
    if (
        lowered.isascii()
        and lowered.isprintable()
        and "  " not in lowered
        and not lowered.startswith(" ")
        and not lowered.endswith(" ")
    ):
        return lowered  # what splitting and joining again would give
    return " ".join(lowered.split())


def _is_back_matter(heading: str | None) -> bool:
    """Reference lists and link farms: lists of other pages, never quotable prose."""
    return heading is not None and bool(_BACK_MATTER.match(heading))


def _generated_title(sections: tuple[Section, ...], article_id: str) -> str:
    """A readable short title from the names the article mentions most."""
    text = "\n".join(p for s in sections for p in s.paragraphs)
    names = named_entities(text[:_TITLE_NAMES_CHARS], limit=3)
    if not names:
        return f"Article {article_id}"
    if len(names) == 1:
        return f"On {names[0]}"
    return ", ".join(names[:-1]) + " and " + names[-1]
