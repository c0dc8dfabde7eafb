"""bootstrap(settings, outlets): the destinations come from what the adapters register."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from adapters.console.settings import ConsoleSettings
from bot.bootstrap import Outlet, bootstrap
from bot.digest.schedule import Destination, Schedule
from bot.errors import ScheduleError
from tests.conftest import SEEDS, settings_for


def _ignore(*_: object) -> None:
    pass


def test_outlets_get_the_default_schedule_and_their_posters(tmp_path: Path) -> None:
    seen: list[Schedule] = []

    def two_channels(default: Schedule) -> tuple[Destination, ...]:
        seen.append(default)
        return (Destination("chat", "C1", default), Destination("chat", "C2", default))

    settings = settings_for(SEEDS, tmp_path, digest_time="07:30", timezone="Europe/Paris")
    app = bootstrap(settings, outlets=[Outlet("chat", two_channels, _ignore)])
    try:
        assert app.scheduler is not None
        assert [d.key for d in app.scheduler.destinations] == ["chat:C1", "chat:C2"]
        assert seen[0].at == time(7, 30) and seen[0].zone.key == "Europe/Paris"
    finally:
        app.close()


def test_no_outlet_means_no_scheduler(tmp_path: Path) -> None:
    app = bootstrap(settings_for(SEEDS, tmp_path))
    try:
        assert app.scheduler is None
    finally:
        app.close()


def test_a_malformed_destination_is_refused_before_the_corpus_is_read(tmp_path: Path) -> None:
    console = ConsoleSettings(digest="25:99 someday", _env_file=None)  # type: ignore[call-arg]
    settings = settings_for(tmp_path / "no-such-corpus", tmp_path)
    with pytest.raises(ScheduleError, match="invalid TEAMBOT_CONSOLE_DIGEST: '25:99'"):
        bootstrap(settings, outlets=[Outlet("console", console.destinations, _ignore)])
