"""Finding and parsing the dates news articles state."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from types import MappingProxyType

#: Each month's name and the abbreviations news writes for it ("Sept." too), in
#: calendar order: the one list the date parser, the sentence splitter (which must
#: not end a sentence at "Jan."), the name finder (which trims "January" off a
#: name) and the answer's question types ("holds a date") read.
_SPELLINGS = (
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may",),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
#: Every spelling of a month, lower case, to the month's number (1 to 12).
MONTHS: Mapping[str, int] = MappingProxyType(
    {name: number for number, names in enumerate(_SPELLINGS, 1) for name in names}
)
#: The months' full names, lower case.
MONTH_NAMES = frozenset(names[0] for names in _SPELLINGS)
#: The months' abbreviations, lower case ("may" is a full name, never one).
MONTH_ABBREVIATIONS = frozenset(MONTHS) - MONTH_NAMES
_ANY_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))  # "sept" before "sep"
#: A regular expression matching any spelling of a month as a whole word (compile
#: it with ``re.I`` for capitals).
MONTH_PATTERN = rf"\b(?:{_ANY_MONTH})\b"
_MONTH = rf"(?P<month>{_ANY_MONTH})\.?"
_MONTH_FIRST = re.compile(
    _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b", re.I
)
_DAY_FIRST = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b", re.I
)
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")


def find_date(text: str) -> tuple[date, re.Match[str]] | None:
    """Returns the first valid date stated in ``text`` and where it was found."""
    found: list[tuple[int, date, re.Match[str]]] = []
    for pattern in (_MONTH_FIRST, _DAY_FIRST, _ISO):
        for match in pattern.finditer(text):
            parsed = _to_date(match)
            if parsed is not None:
                found.append((match.start(), parsed, match))
                break
    if not found:
        return None
    _, parsed, match = min(found, key=lambda item: item[0])
    return parsed, match


def parse_date(value: object) -> date | None:
    """Parses a metadata date: a ``date``, an ISO string (time and zone allowed), or prose."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        found = find_date(text)
        return found[0] if found else None


def _to_date(match: re.Match[str]) -> date | None:
    month_text = match.group("month")
    month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
    try:
        return date(int(match.group("year")), month, int(match.group("day")))
    except ValueError:
        return None
