"""Exactly-once, never-missed scheduled digests, tested by travelling in time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bot.digest.schedule import Destination, Schedule
from bot.digest.scheduler import Run, Scheduler, backoff
from bot.models import Digest
from bot.service import TeamBot
from bot.state.store import SqlStore
from tests.digest.conftest import at

PARIS = ZoneInfo("Europe/Paris")
MORNING = Schedule(time(8, 0), PARIS)  # 07:00 UTC in winter
Posted = list[tuple[str, Digest]]


def _scheduler(
    bot: TeamBot,
    store: SqlStore,
    posted: Posted,
    *,
    schedule: Schedule = MORNING,
    owner: str = "a",
    fail: Callable[[], bool] = lambda: False,
    attempts: list[tuple[Run, Digest]] | None = None,
) -> Scheduler:
    def post(destination: Destination, digest: Digest, run: Run) -> None:
        if attempts is not None:
            attempts.append((run, digest))
        if fail():
            raise ConnectionError("platform unreachable")
        posted.append((destination.key, digest))

    dest = Destination("console", "terminal", schedule)
    return Scheduler([dest], store, bot.digest, {"console": post}, owner=owner)


def _ids(digest: Digest) -> set[str]:
    return {a.article_id for s in digest.stories for a in s.articles}


def test_posts_once_at_the_time_and_never_again(make_bot, store: SqlStore) -> None:  # type: ignore[no-untyped-def]
    posted: Posted = []
    with time_machine.travel(at("2026-01-10 06:00"), tick=False) as traveller:
        scheduler = _scheduler(make_bot(), store, posted)
        traveller.move_to(at("2026-01-10 06:59"))
        assert scheduler.tick() == [] and posted == []
        traveller.move_to(at("2026-01-10 07:00"))
        assert [o.result for o in scheduler.tick()] == ["posted"]
        traveller.move_to(at("2026-01-10 07:30"))
        assert scheduler.tick() == []
    assert len(posted) == 1
    assert len(_ids(posted[0][1])) == 5  # everything first seen since the start


def test_restart_before_and_after_the_post_time(make_bot, store: SqlStore) -> None:  # type: ignore[no-untyped-def]
    posted: Posted = []
    with time_machine.travel(at("2026-01-10 06:00"), tick=False) as traveller:
        assert _scheduler(make_bot(), store, posted).tick() == []  # up before 08:00, then down
        traveller.move_to(at("2026-01-10 07:05"))  # restarted after 08:00 Paris
        assert [o.result for o in _scheduler(make_bot(), store, posted).tick()] == ["posted"]
        traveller.move_to(at("2026-01-10 07:10"))  # restarted again: already posted
        assert _scheduler(make_bot(), store, posted).tick() == []
    assert len(posted) == 1


def test_first_start_after_the_post_time_posts_what_it_found(make_bot, store: SqlStore) -> None:  # type: ignore[no-untyped-def]
    """Installed at 10:00, a team gets today's stories at once, not "Nothing new"."""
    posted: Posted = []
    with time_machine.travel(at("2026-01-10 09:00"), tick=False) as traveller:
        scheduler = _scheduler(make_bot(), store, posted)  # first start, after 08:00 Paris
        traveller.move_to(at("2026-01-10 09:01"))
        assert [o.result for o in scheduler.tick()] == ["posted"]
    assert len(_ids(posted[0][1])) == 5


def test_missed_digest_is_posted_once_within_grace_and_not_after(make_bot, store: SqlStore) -> None:  # type: ignore[no-untyped-def]
    posted: Posted = []
    with time_machine.travel(at("2026-01-10 06:00"), tick=False) as traveller:
        bot = make_bot()
        traveller.move_to(at("2026-01-10 18:59"))  # down all day; back 11h59 after 08:00
        assert [o.run for o in _scheduler(bot, store, posted).tick()] == ["2026-01-10"]
        traveller.move_to(at("2026-01-11 19:01"))  # down through 11 Jan's run, back 12h01 late
        assert _scheduler(bot, store, posted).tick() == []  # past the grace: not posted late
    assert len(posted) == 1


def test_articles_of_a_missed_day_reach_the_next_digest(
    make_bot, store: SqlStore, corpus: Path
) -> None:  # type: ignore[no-untyped-def]
    posted: Posted = []
    with time_machine.travel(at("2026-01-10 06:00"), tick=False) as traveller:
        _scheduler(make_bot(), store, posted).tick()
        traveller.move_to(at("2026-01-10 07:00"))
        _scheduler(make_bot(), store, posted).tick()
        traveller.move_to(at("2026-01-10 12:00"))
        (corpus / "late.md").write_text("Kling 4.0\n\nKuaishou shipped Kling 4.0 with 60s clips.\n")
        make_bot()  # the running bot picks the file up (first seen now)
        traveller.move_to(at("2026-01-12 07:00"))  # 11 Jan was missed beyond the grace
        _scheduler(make_bot(), store, posted).tick()
    assert len(posted) == 2
    assert len(_ids(posted[0][1])) == 5
    assert _ids(posted[1][1]) == {"late"}  # from 10 Jan 12:00, though 11 Jan was missed


def test_restart_never_makes_old_files_new(make_bot, store: SqlStore, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    posted: Posted = []
    with time_machine.travel(at("2026-01-10 06:00"), tick=False) as traveller:
        make_bot()
        traveller.move_to(at("2026-01-10 07:00"))
        _scheduler(make_bot(), store, posted).tick()
        for path in corpus.iterdir():  # touched and re-indexed, but not new
            path.write_bytes(path.read_bytes() + b"\n")
        traveller.move_to(at("2026-01-11 07:00"))
        _scheduler(make_bot(), store, posted).tick()
    assert len(posted) == 2
    assert posted[1][1].empty


def test_crash_between_claim_and_post_is_taken_over_after_the_lease(
    make_bot, store: SqlStore
) -> None:  # type: ignore[no-untyped-def]
    posted: Posted = []
    with time_machine.travel(at("2026-01-10 06:00"), tick=False) as traveller:
        bot = make_bot()
        traveller.move_to(at("2026-01-10 07:00"))
        # A process claims the run, then dies before posting.
        assert store.claim(
            "console:terminal", "2026-01-10", "dead", at("2026-01-10 07:00"), timedelta(minutes=10)
        )
        traveller.move_to(at("2026-01-10 07:09"))
        assert _scheduler(bot, store, posted, owner="b").tick() == []  # still leased
        traveller.move_to(at("2026-01-10 07:11"))
        assert [o.result for o in _scheduler(bot, store, posted, owner="b").tick()] == ["posted"]
        traveller.move_to(at("2026-01-10 07:30"))
        assert _scheduler(bot, store, posted, owner="c").tick() == []
    assert len(posted) == 1
    # The dead process cannot complete a run that was taken over.
    stale = store.claim(
        "console:terminal", "2026-01-10", "dead", at("2026-01-10 07:31"), timedelta(minutes=10)
    )
    assert stale is None


def test_failed_post_is_retried_with_backoff(
    make_bot, store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    posted: Posted = []
    failures = [True, True, False]
    with time_machine.travel(at("2026-01-10 06:00"), tick=False) as traveller:
        scheduler = _scheduler(make_bot(), store, posted, fail=lambda: failures.pop(0))
        traveller.move_to(at("2026-01-10 07:00"))
        assert [o.result for o in scheduler.tick()] == ["failed"]
        traveller.move_to(at("2026-01-10 07:00:59"))
        assert scheduler.tick() == []  # first retry after 1 minute
        traveller.move_to(at("2026-01-10 07:01"))
        assert [o.result for o in scheduler.tick()] == ["failed"]
        traveller.move_to(at("2026-01-10 07:02:59"))
        assert scheduler.tick() == []  # second retry after 2 more minutes
        traveller.move_to(at("2026-01-10 07:03"))
        assert [o.result for o in scheduler.tick()] == ["posted"]
    assert len(posted) == 1
    assert "platform unreachable" in caplog.text
    assert [backoff(n) for n in (1, 2, 3, 10)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=30),
    ]


def test_every_attempt_of_a_run_posts_the_same_digest(
    make_bot, store: SqlStore, corpus: Path
) -> None:  # type: ignore[no-untyped-def]
    """A retry must post what the failed attempt tried to, so that a poster can tell the
    parts already in the channel: the window ends at the scheduled time, not "now"."""
    posted: Posted = []
    attempts: list[tuple[Run, Digest]] = []
    failures = [True, False, False]
    with time_machine.travel(at("2026-01-10 06:00"), tick=False) as traveller:
        make_bot()
        traveller.move_to(at("2026-01-10 07:00"))
        scheduler = _scheduler(
            make_bot(), store, posted, fail=lambda: failures.pop(0), attempts=attempts
        )
        assert [o.result for o in scheduler.tick()] == ["failed"]
        traveller.move_to(at("2026-01-10 07:00:30"))  # an article arrives between attempts
        (corpus / "late.md").write_text("Kling 4.0\n\nKuaishou shipped Kling 4.0 with 60s clips.\n")
        bot = make_bot()
        traveller.move_to(at("2026-01-10 07:01"))
        retry = _scheduler(bot, store, posted, fail=lambda: failures.pop(0), attempts=attempts)
        assert [o.result for o in retry.tick()] == ["posted"]
        traveller.move_to(at("2026-01-11 07:00"))
        assert [o.result for o in retry.tick()] == ["posted"]
    (first, tried), (second, retried), (_, next_day) = attempts
    assert (first.id, first.resumed) == ("2026-01-10", False)
    assert (second.id, second.resumed) == ("2026-01-10", True)
    assert first.scheduled_at == second.scheduled_at == at("2026-01-10 07:00")
    assert retried == tried and retried.until == at("2026-01-10 07:00")
    assert "late" not in _ids(retried)
    assert _ids(next_day) == {"late"}  # in the next digest: never lost


def test_a_run_taken_over_from_a_dead_process_is_resumed(make_bot, store: SqlStore) -> None:  # type: ignore[no-untyped-def]
    posted: Posted = []
    attempts: list[tuple[Run, Digest]] = []
    with time_machine.travel(at("2026-01-10 06:00"), tick=False) as traveller:
        bot = make_bot()
        traveller.move_to(at("2026-01-10 07:00"))
        assert store.claim(
            "console:terminal", "2026-01-10", "dead", at("2026-01-10 07:00"), timedelta(minutes=10)
        )  # a process claimed the run, may have posted some of it, and died
        traveller.move_to(at("2026-01-10 07:11"))
        _scheduler(bot, store, posted, owner="b", attempts=attempts).tick()
        traveller.move_to(at("2026-01-11 07:00"))
        _scheduler(bot, store, posted, owner="b", attempts=attempts).tick()
    assert [(run.id, run.resumed) for run, _ in attempts] == [
        ("2026-01-10", True),  # the poster looks for what the dead process posted
        ("2026-01-11", False),
    ]


@pytest.mark.parametrize(("skip", "posts"), [(True, 0), (False, 1)])
def test_empty_day_is_skipped_or_noted(make_bot, store: SqlStore, skip: bool, posts: int) -> None:  # type: ignore[no-untyped-def]
    posted: Posted = []
    schedule = Schedule(time(8, 0), PARIS, skip_empty=skip)
    with time_machine.travel(at("2026-01-10 06:00"), tick=False) as traveller:
        bot = make_bot()
        traveller.move_to(at("2026-01-10 07:00"))
        _scheduler(bot, store, [], schedule=schedule).tick()  # day 1: the seeds
        traveller.move_to(at("2026-01-11 07:00"))
        outcome = _scheduler(bot, store, posted, schedule=schedule).tick()
        traveller.move_to(at("2026-01-11 07:30"))
        assert _scheduler(bot, store, posted, schedule=schedule).tick() == []
    assert [o.result for o in outcome] == ["skipped-empty" if skip else "posted"]
    assert len(posted) == posts and all(d.empty for _, d in posted)


def test_one_failing_destination_does_not_stop_the_others(make_bot, store: SqlStore) -> None:  # type: ignore[no-untyped-def]
    posted: list[str] = []

    def broken(destination: Destination, digest: Digest, run: Run) -> None:
        raise RuntimeError("bug in one adapter")

    def working(destination: Destination, digest: Digest, run: Run) -> None:
        posted.append(destination.key)

    with time_machine.travel(at("2026-01-10 07:00"), tick=False):
        destinations = [Destination("broken", "x", MORNING), Destination("ok", "y", MORNING)]
        scheduler = Scheduler(
            destinations, store, make_bot().digest, {"broken": broken, "ok": working}
        )
        outcomes = scheduler.tick()
    assert [(o.destination, o.result) for o in outcomes] == [
        ("broken:x", "failed"),
        ("ok:y", "posted"),
    ]
    assert posted == ["ok:y"]


def test_scheduler_follows_the_clock_change(make_bot, store: SqlStore) -> None:  # type: ignore[no-untyped-def]
    """08:00 in Paris is 07:00 UTC before 29 March 2026 and 06:00 UTC after it."""
    posted: Posted = []
    with time_machine.travel(at("2026-03-27 12:00"), tick=False) as traveller:
        scheduler = _scheduler(make_bot(), store, posted)
        traveller.move_to(at("2026-03-28 06:59"))
        assert scheduler.tick() == []
        traveller.move_to(at("2026-03-28 07:00"))
        assert [o.run for o in scheduler.tick()] == ["2026-03-28"]
        traveller.move_to(at("2026-03-29 05:59"))  # 07:59 in Paris, summer time
        assert scheduler.tick() == []
        traveller.move_to(at("2026-03-29 06:00"))  # 08:00 in Paris
        assert [o.run for o in scheduler.tick()] == ["2026-03-29"]
        traveller.move_to(at("2026-10-25 06:30"))  # autumn: 07:30 in Paris, not yet
        assert [o.run for o in scheduler.tick()] == []
        traveller.move_to(at("2026-10-25 07:00"))
        assert [o.run for o in scheduler.tick()] == ["2026-10-25"]
    assert len(posted) == 3
