"""Sentence splitting that survives abbreviations, versions and initials.

Linear time: each boundary looks only at the word before it and the word after
it (the old code re-sliced the rest of the text at every boundary and the whole
sentence so far at every abbreviation), and the boundary pattern starts only at
the first mark of a run of them, never once per mark.
"""

from __future__ import annotations

import re

from bot.text.dates import MONTH_ABBREVIATIONS

# A sentence may start lower-case when its first word is camel-cased ("iFlytek").
# Possessive quantifiers: giving back a mark, quote or space can never make a match.
# The pattern opens with a mark, so the scan skips from mark to mark, and only then
# looks behind (the character before the run is no mark: the run starts there). The
# look-behind used to come first and was tried at every position: four times slower.
_BOUNDARY_FROM = (
    r"({first}(?<![.!?…][.!?…])[.!?…]*+[\"”’')\]]*+)\s++"
    r"(?=[\"“‘'(\[]?+(?:[A-Z0-9]|[a-z]++[A-Z]))"
)
_BOUNDARY = re.compile(_BOUNDARY_FROM.format(first="[.!?…]"))
# The same where "." is the only mark in the text, as in most paragraphs: the regex
# engine looks for one literal character much faster than for any of a set.
_PERIOD_BOUNDARY = re.compile(_BOUNDARY_FROM.format(first=r"\."))
_WORD = re.compile(r"\S+")
_ABBREVIATIONS = (
    frozenset(
        """mr mrs ms dr prof sr jr st inc corp ltd co vs etc al fig no u.s u.k e.g i.e a.m p.m
        approx est dept gov""".split()
    )
    | MONTH_ABBREVIATIONS
)


# Words that start sentences but rarely follow an abbreviation inside one:
# "... in the U.S. It comes after ..." is two sentences.
_OPENERS = frozenset(
    """it its the this that these those they their there he she we i you a an but and so
    yet however meanwhile still then in on at for as if when while after before since
    some many most one our his her""".split()
)


def split_sentences(text: str) -> list[str]:
    """Splits a paragraph into sentences.

    A period ends a sentence unless it closes a known abbreviation ("U.S.",
    "Jan.") or a single initial ("J. Smith") and the next word is not a typical
    sentence opener ("It", "The").
    """
    sentences: list[str] = []
    start = 0
    previous = 0  # where the last boundary, taken or not, ended
    boundary = _BOUNDARY if "!" in text or "?" in text or "…" in text else _PERIOD_BOUNDARY
    for match in boundary.finditer(text):
        end = match.end(1)
        # The word before the mark lies after the previous boundary (taken or not):
        # a boundary is followed by a word, and marks never start one.
        before = text[previous : match.start(1)]
        previous = match.end()
        if (
            match.group(1).startswith(".")
            and _is_abbreviation(before)
            and _next_word(text, match.end()) not in _OPENERS
        ):
            continue
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _next_word(text: str, at: int) -> str:
    """The word starting at ``at`` (a boundary's look-ahead promises one), bare."""
    word = _WORD.match(text, at)
    return word.group().strip("\"“‘'([").lower() if word else ""


def _is_abbreviation(before: str) -> bool:
    word = before.rsplit(None, 1)[-1] if before.strip() else ""
    word = word.lstrip("(\"“'").lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())
