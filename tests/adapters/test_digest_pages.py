"""A "More" button's state: written from a digest, read back as the same window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from adapters.digest_pages import STALE, page_token, read_page
from bot.digest.window import between, recent, whole_days
from bot.errors import WindowError
from bot.models import Digest

PARIS = ZoneInfo("Europe/Paris")


def test_a_span_round_trips_to_the_microsecond() -> None:
    window = recent(datetime(2026, 2, 14, 8, 30, 1, 123456, tzinfo=UTC).astimezone(PARIS))
    token = page_token(Digest(window.since, window.until, (), window.days), 40)
    page = read_page(token, PARIS)
    assert page.start == 40
    assert (page.window.since, page.window.until) == (window.since, window.until)
    assert page.window.days is None and page.window.since.tzinfo == PARIS
    assert len("teambot:more:" + token) <= 100  # fits a Discord custom_id


def test_whole_days_round_trip() -> None:
    window = whole_days(date(2026, 2, 1), date(2026, 2, 14), PARIS)
    token = page_token(Digest(window.since, window.until, (), window.days), 7)
    assert token == "d:2026-02-01:2026-02-14:7"
    assert read_page(token, PARIS).window == window


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        "d:2026-02-14:2026-02-01:3",  # reversed
        "d:2026-02-30:2026-03-01:3",  # no such day
        "t:200:100:3",  # reversed span
        "t:1:2:-3",
        "t:999999999999999999:999999999999999999:3",  # beyond datetime
    ],
)
def test_a_state_it_did_not_write_is_a_friendly_error(token: str) -> None:
    with pytest.raises(WindowError, match=STALE):
        read_page(token, PARIS)


def test_between_windows_keep_their_bounds() -> None:
    since = datetime(2026, 2, 13, 8, tzinfo=UTC)
    window = between(since, since + timedelta(days=1))
    page = read_page(page_token(Digest(window.since, window.until, ()), 0), UTC)
    assert page.window == window
