"""Digest windows: a span of first-seen time, or whole days of publication."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import WindowError

#: The days a window may start or end on: a day's bounds, in any time zone, must stay
#: within what ``datetime`` can hold (years 1 to 9999 in UTC).
FIRST_DAY = date.min + timedelta(days=1)
LAST_DAY = date.max - timedelta(days=1)
#: How a day may be typed (``parse_day``), as help shows it.
DAY_FORMS = ("today", "yesterday", "YYYY-MM-DD")


@dataclass(frozen=True, slots=True)
class Window:
    """``since`` (exclusive) to ``until`` (inclusive), both aware datetimes.

    With ``days`` set, the window is those whole local days (inclusive) and
    selects articles by published date where known, else by first-seen time;
    otherwise it selects by first-seen time alone.
    """

    since: datetime
    until: datetime
    days: tuple[date, date] | None = None


def recent(now: datetime, hours: float = 24) -> Window:
    """The last ``hours`` up to ``now``, by first-seen time."""
    return Window(since=now - timedelta(hours=hours), until=now)


def between(since: datetime, until: datetime) -> Window:
    """Everything first seen after ``since`` and up to ``until``."""
    return Window(since=since, until=until)


@dataclass(frozen=True, slots=True)
class DayFields:
    """What the caller calls its one-day, first-day and last-day inputs: error messages
    name them as the person typed them (a command line's ``--since``, say)."""

    on: str = "date"
    since: str = "since"
    until: str = "until"


def whole_days(first: date, last: date, zone: ZoneInfo, fields: DayFields = DayFields()) -> Window:
    """Local days ``first`` to ``last`` inclusive.

    Raises:
        WindowError: ``first`` is after ``last``; the message names ``fields``.
    """
    if first > last:
        raise WindowError(f"{fields.since} {first} is after {fields.until} {last}; swap them")
    start = datetime.combine(first, time(), zone)
    end = datetime.combine(last + timedelta(days=1), time(), zone) - timedelta(microseconds=1)
    return Window(since=start, until=end, days=(first, last))


def parse_day(text: str, *, option: str, today: date) -> date:
    """Parses ``YYYY-MM-DD``, ``today`` or ``yesterday``.

    Raises:
        WindowError: anything else; the message names the option and the accepted forms.
    """
    value = text.strip().lower()
    if value == "today":
        return today
    if value == "yesterday":
        return today - timedelta(days=1)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise WindowError(
            f"invalid {option} {text!r}: expected a date as YYYY-MM-DD, 'today' or 'yesterday'"
        ) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise WindowError(
            f"invalid {option} {text!r}: expected a date from {FIRST_DAY} to {LAST_DAY}"
        )
    return day


def on_day(text: str | None, *, now: datetime, zone: ZoneInfo) -> Window:
    """The window of a chat or console ``/digest [DATE]``: the last 24 hours, or that day.

    Raises:
        WindowError: a date that is not YYYY-MM-DD, today or yesterday.
    """
    if text is None or not text.strip():
        return recent(now.astimezone(zone))
    day = parse_day(text, option="date", today=now.astimezone(zone).date())
    return whole_days(day, day, zone)


def requested(
    *,
    on: str | None,
    since: str | None,
    until: str | None,
    now: datetime,
    zone: ZoneInfo,
    fields: DayFields = DayFields(),
) -> Window:
    """The window a user asked for (one day, or a first and last day), else the last 24 hours.

    Args:
        fields: what the caller calls the three inputs, for error messages.

    Raises:
        WindowError: a bad date, a last day without a first, or a reversed window.
    """
    today = now.astimezone(zone).date()
    if on is not None:
        day = parse_day(on, option=fields.on, today=today)
        return whole_days(day, day, zone, fields)
    if until is not None and since is None:
        raise WindowError(
            f"{fields.until} needs {fields.since} (or use {fields.on} for a single day)"
        )
    if since is not None:
        first = parse_day(since, option=fields.since, today=today)
        last = parse_day(until, option=fields.until, today=today) if until else today
        return whole_days(first, last, zone, fields)
    return recent(now.astimezone(zone))
