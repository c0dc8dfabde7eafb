"""Finding and parsing the dates news articles state."""

from __future__ import annotations

import re
from datetime import date, datetime

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        )
    )
    for m in names.split()
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
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
    month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower()]
    try:
        return date(int(match.group("year")), month, int(match.group("day")))
    except ValueError:
        return None
