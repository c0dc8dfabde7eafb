"""Schedules: parsing, weekdays, grace, and daylight-saving changes."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.digest.schedule import Schedule, default_schedule, parse_destinations, parse_schedule
from bot.errors import ScheduleError
from tests.digest.conftest import at

PARIS = ZoneInfo("Europe/Paris")
DEFAULT = Schedule(time(8, 0), ZoneInfo("UTC"))
GRACE = timedelta(hours=12)
LONG = timedelta(hours=36)


def test_parse_schedule_words_in_any_order() -> None:
    s = parse_schedule("skip-empty mon-fri 07:30 Europe/Paris", DEFAULT, setting="X")
    assert (s.at, s.zone.key, sorted(s.weekdays), s.skip_empty) == (
        time(7, 30),
        "Europe/Paris",
        [0, 1, 2, 3, 4],
        True,
    )
    assert parse_schedule("mon,wed,fri", DEFAULT, setting="X").weekdays == {0, 2, 4}
    assert parse_schedule("fri-mon", DEFAULT, setting="X").weekdays == {4, 5, 6, 0}
    assert parse_schedule("weekends", DEFAULT, setting="X").describe() == "08:00 UTC sat,sun"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("25:00", "'25:00' is not a schedule word"),
        ("08:00 Mars/Olympus", "unknown time zone 'Mars/Olympus': expected an IANA name"),
        ("08:00 someday", "'someday' is not a schedule word; expected HH:MM [Zone/Name]"),
    ],
)
def test_malformed_schedule_names_value_and_accepted_form(spec: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message.replace("[", r"\[")):
        parse_schedule(spec, DEFAULT, setting="SLACK_DIGEST_CHANNELS")


def test_destinations_with_and_without_their_own_schedule() -> None:
    found = parse_destinations(
        "C1, C2; C3@09:30 America/New_York skip-empty", "slack", DEFAULT, setting="S"
    )
    assert [(d.key, d.schedule.describe()) for d in found] == [
        ("slack:C1", "08:00 UTC daily"),
        ("slack:C2", "08:00 UTC daily"),
        ("slack:C3", "09:30 America/New_York daily skip-empty"),
    ]
    with pytest.raises(ScheduleError, match="has no channel before '@'"):
        parse_destinations("@08:00", "slack", DEFAULT, setting="S")


def test_default_schedule_settings_are_validated() -> None:
    with pytest.raises(ScheduleError, match="TEAMBOT_DIGEST_TIME '8am': expected HH:MM"):
        default_schedule("8am", PARIS, "daily", "post", prefix="TEAMBOT_")
    with pytest.raises(ScheduleError, match="TEAMBOT_DIGEST_EMPTY 'maybe'"):
        default_schedule("08:00", PARIS, "daily", "maybe", prefix="TEAMBOT_")


def test_due_is_the_latest_run_not_after_now() -> None:
    s = Schedule(time(8, 0), PARIS)
    assert s.due(at("2026-01-10 06:59"), LONG) == ("2026-01-09", at("2026-01-09 07:00"))
    assert s.due(at("2026-01-10 06:59"), GRACE) is None  # yesterday's run is past the grace
    assert s.due(at("2026-01-10 07:00"), GRACE) == ("2026-01-10", at("2026-01-10 07:00"))


def test_due_follows_daylight_saving_time() -> None:
    s = Schedule(time(8, 0), PARIS)
    # Winter: 08:00 in Paris is 07:00 UTC; after the spring change (29 March) it is 06:00 UTC.
    assert s.due(at("2026-03-28 07:00"), GRACE) == ("2026-03-28", at("2026-03-28 07:00"))
    assert s.due(at("2026-03-29 06:00"), GRACE) == ("2026-03-29", at("2026-03-29 06:00"))
    assert s.due(at("2026-03-29 05:59"), LONG) == ("2026-03-28", at("2026-03-28 07:00"))
    # Autumn (25 October): back to 07:00 UTC.
    assert s.due(at("2026-10-25 07:00"), GRACE) == ("2026-10-25", at("2026-10-25 07:00"))
    assert s.due(at("2026-10-25 06:30"), LONG) == ("2026-10-24", at("2026-10-24 06:00"))


def test_due_inside_the_spring_gap_and_the_doubled_autumn_hour() -> None:
    gap = Schedule(time(2, 30), PARIS)  # 02:30 does not exist on 29 March in Paris
    assert gap.due(at("2026-03-29 01:30"), GRACE) == ("2026-03-29", at("2026-03-29 01:30"))
    doubled = Schedule(time(2, 30), PARIS)  # 02:30 happens twice on 25 October: run once
    assert doubled.due(at("2026-10-25 00:30"), GRACE) == ("2026-10-25", at("2026-10-25 00:30"))
    assert doubled.due(at("2026-10-25 01:30"), GRACE) == ("2026-10-25", at("2026-10-25 00:30"))


def test_weekdays_and_grace() -> None:
    s = Schedule(time(8, 0), ZoneInfo("UTC"), frozenset(range(5)))  # mon-fri
    # Saturday 2026-01-10: Friday's run was 24 hours ago, past the 12-hour grace.
    assert s.due(at("2026-01-10 08:00"), GRACE) is None
    assert s.due(at("2026-01-09 19:59"), GRACE) == ("2026-01-09", at("2026-01-09 08:00"))
    assert s.due(at("2026-01-09 20:01"), GRACE) is None
    assert s.due(at("2026-01-12 08:00"), GRACE) == ("2026-01-12", at("2026-01-12 08:00"))
