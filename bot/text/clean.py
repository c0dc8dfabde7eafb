"""Turns a raw article body into clean paragraphs and headings.

Web-scraped articles carry page furniture ("watch now", image lines, photo
credits, read-time counters) and markdown; none of it belongs in an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text.markup import (
    remove_images,
    remove_tags,
    replace_links,
    unwrap_autolinks,
    unwrap_emphasis,
)

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")  # whole lines only (fullmatch): linear
_ESCAPE = re.compile(r"\\([\[\]()*_#>`\\-])")
_MD_HEADING = re.compile(r"#{1,6}\s+")  # the title is the rest, less closing #s and spaces
_BULLET = re.compile(r"^(?:[•*·▪–—-]|\d{1,2}[.)])\s+")
_MARKUP_CHARS = re.compile(r"[\[\]*_`<\\]")
# A run of spaces becomes one " ": matching every run but a lone " " (already
# right) saves rebuilding a long line at each of its words.
_SPACES = re.compile(r"[\t\u00a0\u2002-\u200b][ \t\u00a0\u2002-\u200b]*| [ \t\u00a0\u2002-\u200b]+")

_FURNITURE_LINES = r"""
        watch\ now | hide\ content | related\ articles? | advertisement | share\ (?:this|on).*
      | stock\ chart\ icon.* | \d+\ min(?:ute)?s?\ read | \d+\ views? | read\ more.*
      | \(word\ count:.*\) | financial\ market\ analysis\ from\ .* | \?> | <\?php.*
      | skip\ to\ (?:main\ )?content | subscribe.* | sign\ up\ for.* | listen\ to\ this\ article.*
      | [\W_]*
"""
# A credit line anywhere in the line: the one alternative that reads the whole line
# (and backtracks through it), so it is tried only on lines that hold the phrase.
_CREDIT_PHRASE = "contributed to this report"
_FURNITURE = re.compile(
    rf"^(?:{_FURNITURE_LINES} | .*{re.escape(_CREDIT_PHRASE)}.*)$", re.IGNORECASE | re.VERBOSE
)
_FURNITURE_BUT_CREDIT = re.compile(rf"^(?:{_FURNITURE_LINES})$", re.IGNORECASE | re.VERBOSE)
_PHOTO_CREDIT = re.compile(
    r".*\|\s*(?:getty\ images|reuters|ap\ photo|afp|bloomberg|shutterstock|nurphoto)\s*$",
    re.IGNORECASE | re.VERBOSE,
)
_CLOSED = tuple(".!?…:;\"”’')]")
_SENTENCE_END = tuple('.!?:;,"”’)')
# A photo credit drops the caption before it, a paragraph this short at most.
_CAPTION_WORDS = 50


@dataclass(frozen=True, slots=True)
class Block:
    """A heading or a paragraph of cleaned text."""

    text: str
    is_heading: bool = False


def strip_markup(line: str, links: list[str] | None = None) -> str:
    """Removes markdown from one line, keeping link text; collects link URLs into ``links``."""
    if not _MARKUP_CHARS.search(line):  # most lines: nothing to strip
        return _single_spaced(line)
    line = remove_images(line)
    line = replace_links(line, links)
    line = unwrap_autolinks(line)
    line = unwrap_emphasis(line)
    line = _ESCAPE.sub(r"\1", line)
    line = remove_tags(line)
    return _single_spaced(line)


def is_furniture(line: str) -> bool:
    """True for page furniture lines that are never article content."""
    if _is_photo_credit(line):
        return True
    # On ASCII, ignoring case is lower-casing, so a line without the phrase cannot be
    # a credit line. (Elsewhere case-insensitive "s" also matches "ſ", so the whole
    # pattern decides.)
    if line.isascii() and _CREDIT_PHRASE not in line.lower():
        return bool(_FURNITURE_BUT_CREDIT.match(line))
    return bool(_FURNITURE.match(line))


def _is_photo_credit(line: str) -> bool:
    # The pattern runs to the line's end and back to a "|": only worth it with one.
    return "|" in line and bool(_PHOTO_CREDIT.match(line))


def _single_spaced(line: str) -> str:
    """``line`` with each run of spaces as one space, stripped."""
    if line.isascii() and "  " not in line and "\t" not in line:
        return line.strip()  # the usual line: no run for ``_SPACES`` to find
    return _SPACES.sub(" ", line).strip()


def to_blocks(body: str, links: list[str] | None = None) -> list[Block]:
    """Splits a body into headings and paragraphs, dropping furniture.

    One line is one paragraph, except that a line broken mid-sentence (the next
    starts in lower case) is joined to the next. A photo credit line also drops
    the caption just before it.
    """
    blocks: list[Block] = []
    not_caption: Block | None = None  # counted once: credit after credit met it again
    for raw in _logical_lines(body):
        if _IMAGE.fullmatch(raw.strip()):
            continue
        if _is_photo_credit(raw):
            if blocks and not blocks[-1].is_heading and blocks[-1] is not not_caption:
                if len(blocks[-1].text.split()) <= _CAPTION_WORDS:
                    blocks.pop()
                else:
                    not_caption = blocks[-1]
            continue
        heading = _heading_text(raw)
        text = strip_markup(_BULLET.sub("", raw) if heading is None else heading, links)
        if not text or is_furniture(text):
            continue
        is_heading = heading is not None or _looks_like_heading(raw, text)
        if not is_heading and not text.endswith(_CLOSED):
            # A list item or caption ends where its line ends: close it so that it
            # stays its own sentence instead of running into the next one.
            text += "."
        blocks.append(Block(text, is_heading=is_heading))
    return blocks


def _heading_text(raw: str) -> str | None:
    """The text of a markdown heading (``## Title ##``), or ``None``."""
    start = _MD_HEADING.match(raw)
    if start is None:
        return None
    return raw[start.end() :].rstrip("#").rstrip()


def _logical_lines(body: str) -> list[str]:
    lines: list[str] = []
    pending: list[str] = []  # the pieces of one line broken mid-sentence, joined once
    for line in body.splitlines():
        stripped = line.strip()
        if not stripped:
            if pending:
                lines.append(" ".join(pending))
            pending = []
            continue
        continues = (
            pending
            and stripped[0].islower()
            and not pending[-1].endswith(_SENTENCE_END)
            and not _BULLET.match(stripped)
        )
        if continues:
            pending.append(stripped)
        else:
            if pending:
                lines.append(" ".join(pending))
            pending = [stripped]
    if pending:
        lines.append(" ".join(pending))
    return lines


def _looks_like_heading(raw: str, text: str) -> bool:
    """A short, title-cased line with no sentence punctuation at its end."""
    if _BULLET.match(raw) or len(text) > 90 or text[-1] in '.!:;,"”’)':
        return False
    words = text.split()
    if not 1 <= len(words) <= 12 or not words[0][0].isupper():
        return False
    long_words = [w for w in words if len(w) > 3]
    capitalised = sum(1 for w in long_words if w[0].isupper() or not w[0].isalpha())
    return not long_words or capitalised / len(long_words) >= 0.6
