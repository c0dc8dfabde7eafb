"""Digest schedules: a time of day in an IANA zone, on some weekdays.

A schedule is written ``HH:MM [Zone/Name] [days] [skip-empty|post-empty]``,
e.g. ``08:00 Europe/Paris mon-fri skip-empty``; days are ``daily``, ``weekdays``,
``weekends``, a range ``mon-fri`` or a list ``mon,wed,fri``. A destination list
is ``CHANNEL[@SCHEDULE]`` items separated by ``;`` (plain channel ids may also be
separated by commas), using the default schedule where none is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import zone_info
from bot.errors import ScheduleError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ALL_DAYS = frozenset(range(7))
_NAMED_DAYS = {
    "daily": _ALL_DAYS,
    "everyday": _ALL_DAYS,
    "weekdays": frozenset(range(5)),
    "weekends": frozenset({5, 6}),
}
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_ACCEPTED_DAYS = "daily, weekdays, weekends, a range like mon-fri or a list like mon,wed,fri"
_ACCEPTED = "HH:MM [Zone/Name] [daily|weekdays|weekends|mon-fri|mon,wed,fri] [skip-empty]"


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a destination gets its digest, and whether an empty day is posted."""

    at: time
    zone: ZoneInfo
    weekdays: frozenset[int] = _ALL_DAYS
    skip_empty: bool = False

    def due(self, now: datetime, grace: timedelta) -> tuple[str, datetime] | None:
        """The latest scheduled run at or before ``now``, as ``(run id, UTC time)``.

        The run id is the local date, so each day has one run however the clocks
        change. ``None`` when that run is more than ``grace`` ago (missed for good:
        the next run's window still covers its articles) or there is none this week.
        """
        today = now.astimezone(self.zone).date()
        for back in range(8):
            day = today - timedelta(days=back)
            if day.weekday() not in self.weekdays:
                continue
            # Local wall time -> instant. In a spring-forward gap this is the
            # instant an hour later on the clock; on a doubled hour, the first.
            at = datetime.combine(day, self.at, self.zone).astimezone(UTC)
            if at > now:
                continue
            return (day.isoformat(), at) if now - at <= grace else None
        return None

    def describe(self) -> str:
        """The schedule in its own notation."""
        days = ",".join(DAY_NAMES[d] for d in sorted(self.weekdays))
        days = "daily" if self.weekdays == _ALL_DAYS else days
        empty = " skip-empty" if self.skip_empty else ""
        return f"{self.at:%H:%M} {self.zone.key} {days}{empty}"


@dataclass(frozen=True, slots=True)
class Destination:
    """A channel of an adapter that gets scheduled digests."""

    adapter: str
    channel: str
    schedule: Schedule

    @property
    def key(self) -> str:
        """The destination's name in the state store."""
        return f"{self.adapter}:{self.channel}"


def parse_schedule(text: str, default: Schedule, *, setting: str) -> Schedule:
    """Parses a schedule; words left out come from ``default``.

    Raises:
        ScheduleError: the message names the setting, the bad word and the accepted form.
    """
    at, zone, days, skip = default.at, default.zone, default.weekdays, default.skip_empty
    for word in text.split():
        lowered = word.lower()
        if _TIME.match(word):
            hours, minutes = _TIME.match(word).groups()  # type: ignore[union-attr]
            at = time(int(hours), int(minutes))
        elif lowered in ("skip-empty", "post-empty"):
            skip = lowered == "skip-empty"
        elif "/" in word or word.upper() == "UTC":
            try:
                zone = zone_info(word)
            except ValueError as exc:
                raise ScheduleError(f"invalid {setting}: {exc}") from None
        else:
            days = _days(lowered, setting)
    return Schedule(at, zone, days, skip)


def parse_destinations(
    text: str | None, adapter: str, default: Schedule, *, setting: str
) -> tuple[Destination, ...]:
    """Parses ``CHANNEL[@SCHEDULE]; …`` into destinations.

    Raises:
        ScheduleError: a malformed item; the message names the setting and the item.
    """
    destinations: list[Destination] = []
    for item in (part.strip() for part in (text or "").split(";")):
        if not item:
            continue
        channel, _, spec = item.partition("@")
        channels = channel.replace(",", " ").split()
        if not channels:
            raise ScheduleError(f"invalid {setting}: {item!r} has no channel before '@'")
        schedule = parse_schedule(spec, default, setting=setting) if spec.strip() else default
        destinations += [Destination(adapter, c, schedule) for c in channels]
    return tuple(destinations)


def default_schedule(at: str, zone: ZoneInfo, days: str, empty: str, *, prefix: str) -> Schedule:
    """The schedule from the ``*_DIGEST_TIME``/``_DAYS``/``_EMPTY`` settings.

    Raises:
        ScheduleError: a bad time, days or empty-day value.
    """
    match = _TIME.match(at.strip())
    if match is None:
        raise ScheduleError(f"invalid {prefix}DIGEST_TIME {at!r}: expected HH:MM, e.g. 08:00")
    if empty not in ("post", "skip"):
        raise ScheduleError(f"invalid {prefix}DIGEST_EMPTY {empty!r}: expected post or skip")
    weekdays = _days(days.strip().lower(), f"{prefix}DIGEST_DAYS", accepted=_ACCEPTED_DAYS)
    return Schedule(time(int(match[1]), int(match[2])), zone, weekdays, empty == "skip")


def _days(word: str, setting: str, accepted: str = _ACCEPTED) -> frozenset[int]:
    if word in _NAMED_DAYS:
        return _NAMED_DAYS[word]
    days: set[int] = set()
    for part in word.split(","):
        first, _, last = part.partition("-")
        if first not in DAY_NAMES or (last and last not in DAY_NAMES):
            raise ScheduleError(
                f"invalid {setting}: {word!r} is not a schedule word; expected {accepted}"
            )
        a, b = DAY_NAMES.index(first), DAY_NAMES.index(last or first)
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(b + 1)])
    return frozenset(days)
