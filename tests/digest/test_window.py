"""Digest windows from the command line's dates."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from adapters.console.commands import DAY_OPTIONS as COMMAND_LINE
from bot.digest.window import requested
from bot.errors import WindowError
from tests.digest.conftest import at

PARIS = ZoneInfo("Europe/Paris")
NOW = at("2026-03-10 12:00")


def test_default_window_is_the_last_24_hours_in_the_zone() -> None:
    window = requested(on=None, since=None, until=None, now=NOW, zone=PARIS)
    assert window.until == NOW and window.until - window.since == timedelta(hours=24)
    assert window.days is None and window.until.tzinfo == PARIS


def test_date_is_one_local_day() -> None:
    window = requested(on="2026-02-14", since=None, until=None, now=NOW, zone=PARIS)
    assert window.days == (date(2026, 2, 14), date(2026, 2, 14))
    assert window.since.isoformat() == "2026-02-14T00:00:00+01:00"
    assert window.until.isoformat() == "2026-02-14T23:59:59.999999+01:00"


def test_since_until_is_inclusive_and_since_alone_runs_to_today() -> None:
    window = requested(on=None, since="2026-02-01", until="2026-02-14", now=NOW, zone=PARIS)
    assert window.days == (date(2026, 2, 1), date(2026, 2, 14))
    open_ended = requested(on=None, since="2026-03-01", until=None, now=NOW, zone=PARIS)
    assert open_ended.days == (date(2026, 3, 1), date(2026, 3, 10))


def test_today_and_yesterday() -> None:
    window = requested(on="yesterday", since=None, until=None, now=NOW, zone=PARIS)
    assert window.days == (date(2026, 3, 9), date(2026, 3, 9))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"on": "2026-13-01"}, "invalid --date '2026-13-01': expected a date as YYYY-MM-DD"),
        ({"on": "14/02/2026"}, "invalid --date '14/02/2026'"),
        ({"since": "2026-02-15", "until": "2026-02-14"}, "--since 2026-02-15 is after --until"),
        ({"until": "2026-02-14"}, "--until needs --since"),
        ({"since": "soon"}, "invalid --since 'soon'"),
    ],
)
def test_bad_windows_are_refused_with_the_accepted_form(
    kwargs: dict[str, str], message: str
) -> None:
    args = {"on": None, "since": None, "until": None, **kwargs}
    with pytest.raises(WindowError, match=message.replace("(", r"\(")):
        requested(**args, now=NOW, zone=PARIS, fields=COMMAND_LINE)


def test_the_core_names_no_command_line_option_of_its_own() -> None:
    with pytest.raises(WindowError) as reversed_days:
        requested(on=None, since="2026-02-15", until="2026-02-14", now=NOW, zone=PARIS)
    assert str(reversed_days.value) == "since 2026-02-15 is after until 2026-02-14; swap them"
    with pytest.raises(WindowError) as no_first_day:
        requested(on=None, since=None, until="2026-02-14", now=NOW, zone=PARIS)
    assert str(no_first_day.value) == "until needs since (or use date for a single day)"
