"""Sentence splitting that survives abbreviations, versions and initials."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"([.!?…]+[\"”’')\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st inc corp ltd co vs etc al fig no jan feb mar apr jun jul
    aug sep sept oct nov dec u.s u.k e.g i.e a.m p.m approx est dept gov""".split()
)


def split_sentences(text: str) -> list[str]:
    """Splits a paragraph into sentences.

    A period ends a sentence unless it closes a known abbreviation ("U.S.",
    "Jan.") or a single initial ("J. Smith").
    """
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end(1)
        if match.group(1).startswith(".") and _is_abbreviation(text[start : match.start(1)]):
            continue
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _is_abbreviation(before: str) -> bool:
    word = before.rsplit(None, 1)[-1] if before.strip() else ""
    word = word.lstrip("(\"“'").lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())
