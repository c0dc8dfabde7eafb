"""Several bot processes sharing state: each run is claimed, and posted, exactly once."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bot.digest.schedule import Destination, Schedule
from bot.digest.scheduler import Run, Scheduler
from bot.models import Digest
from bot.state.open import open_store
from tests.digest.conftest import at

LEASE = timedelta(minutes=10)


#: Bot processes that race for one claim. Two is the smallest race, and the most that
#: run at once on the two-core machine ``make test`` is sized for: a third would wait
#: for a core, adding an interpreter's start-up (about a second) and no interleaving
#: two cannot produce. The barrier lets them claim only once both hold an open store.
RACERS = 2


def _claim(url: str | None, data_dir: Path, owner: str) -> bool:
    store = open_store(url, data_dir)
    try:
        claim = store.claim("slack:C1", "2026-01-10", owner, at("2026-01-10 07:00"), LEASE)
    finally:
        store.close()
    return claim is not None


def _claim_in_process(url: str | None, data_dir: str, owner: str, barrier, results) -> None:  # type: ignore[no-untyped-def]
    store = open_store(url, Path(data_dir))
    barrier.wait(120)  # every racer is connected: now they claim at once
    claim = store.claim("slack:C1", "2026-01-10", owner, at("2026-01-10 07:00"), LEASE)
    results.put((owner, claim is not None))
    store.close()


def _race_processes(url: str | None, data_dir: Path) -> list[str]:
    # Fresh interpreters, like separate bot processes. (Forking a test process that
    # has other threads running can leave a child stuck on a lock taken at fork.)
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(RACERS), ctx.Queue()
    procs = [
        ctx.Process(target=_claim_in_process, args=(url, str(data_dir), f"p{i}", barrier, results))
        for i in range(RACERS)
    ]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    return [owner for owner, won in outcomes if won]


def test_processes_racing_on_sqlite_claim_once(tmp_path: Path) -> None:
    assert len(_race_processes(None, tmp_path)) == 1
    assert not _claim(None, tmp_path, "late")  # held by the winner's lease


def test_processes_racing_on_postgres_claim_once(postgres_url: str, tmp_path: Path) -> None:
    store = open_store(postgres_url, tmp_path)
    store.close()
    winners = _race_processes(postgres_url, tmp_path)
    assert len(winners) == 1
    assert not _claim(postgres_url, tmp_path, "late")  # held by the winner's lease


def _two_schedulers_post_once(make_store, make_bot) -> None:  # type: ignore[no-untyped-def]
    posted: list[str] = []
    lock = threading.Lock()

    def post(destination: Destination, digest: Digest, run: Run) -> None:
        with lock:
            posted.append(destination.key)

    dest = Destination("console", "terminal", Schedule(time(8, 0), ZoneInfo("Europe/Paris")))
    with time_machine.travel(at("2026-01-10 07:00"), tick=False):
        bot = make_bot()
        schedulers = [
            Scheduler([dest], make_store(), bot.digest, {"console": post}, owner=f"s{i}")
            for i in range(2)
        ]
        barrier = threading.Barrier(2)

        def run(s: Scheduler) -> None:
            barrier.wait()
            s.tick()

        threads = [threading.Thread(target=run, args=(s,)) for s in schedulers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    assert posted == ["console:terminal"]


def test_two_schedulers_racing_on_sqlite(make_bot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _two_schedulers_post_once(lambda: open_store(None, tmp_path / "shared"), make_bot)


def test_two_schedulers_racing_on_postgres(make_bot, postgres_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    open_store(postgres_url, tmp_path).close()  # creates the tables
    with psycopg.connect(postgres_url, autocommit=True) as conn:  # a clean slate
        conn.execute("DELETE FROM digest_runs WHERE destination = 'console:terminal'")
    _two_schedulers_post_once(lambda: open_store(postgres_url, tmp_path), make_bot)


def test_postgres_store_keeps_first_seen_and_runs(postgres_url: str, tmp_path: Path) -> None:
    store = open_store(postgres_url, tmp_path)
    first = store.see(["pg-a", "pg-b"], at("2026-01-10 07:00"))
    again = store.see(["pg-a", "pg-c"], at("2026-01-11 07:00"))
    assert again["pg-a"] == first["pg-a"] == at("2026-01-10 07:00")
    assert again["pg-c"] == at("2026-01-11 07:00")
    claim = store.claim("pg:dest", "2026-01-10", "me", at("2026-01-10 07:00"), LEASE)
    assert claim is not None and claim.previous_until is None and claim.attempts == 1
    store.release(claim, at("2026-01-10 07:01"), "boom", at("2026-01-10 07:00"))
    assert store.claim("pg:dest", "2026-01-10", "me", at("2026-01-10 07:00:30"), LEASE) is None
    retry = store.claim("pg:dest", "2026-01-10", "me", at("2026-01-10 07:01"), LEASE)
    assert retry is not None and retry.attempts == 2
    assert store.finish(retry, at("2026-01-10 07:01"), posted=True, now=at("2026-01-10 07:01"))
    nxt = store.claim("pg:dest", "2026-01-11", "me", at("2026-01-11 07:00"), LEASE)
    assert nxt is not None and nxt.previous_until == at("2026-01-10 07:01")
    store.close()


def test_postgres_errors_never_show_the_password(tmp_path: Path) -> None:
    from bot.errors import StateError

    with pytest.raises(StateError) as info:
        open_store("postgresql://bot:hunter2@127.0.0.1:1/teambot", tmp_path)
    assert "hunter2" not in str(info.value)
    assert "postgresql://bot:***@127.0.0.1:1/teambot" in str(info.value)
