"""Scheduled Slack digests exactly once, even when a process dies in the middle of a post:
each message carries its run in its metadata, and a resumed run posts only what is missing."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.slack.digest_format import digest_messages
from adapters.slack.server import digest_poster
from adapters.slack.settings import SlackSettings
from bot.digest.schedule import Destination, Schedule
from bot.digest.scheduler import Post, Run
from bot.state.open import open_store
from bot.state.store import SqlStore
from tests.scheduled_runs import (
    AFTER_THE_LEASE,
    UTC_ZONE,
    Killed,
    dies_after,
    dies_on_failure,
    due_a_minute_ago,
    fixed_digest,
    resumed_run,
    scheduler,
    window_of,
)
from tests.slack.conftest import BOT_TOKEN, SECRET, slack_settings
from tests.slack.fake_slack import FakeSlack, LoopThread

STORIES = 4  # in full: two Slack messages
CHANNEL = ("slack", "C7")
Stores = Callable[[], SqlStore]


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[Stores]:
    """Opens the state store the test's bot processes share (each opens its own)."""
    opened: list[SqlStore] = []

    def open_one() -> SqlStore:
        opened.append(open_store(None, tmp_path))
        return opened[-1]

    yield open_one
    for store in opened:
        store.close()


def _parts(posts: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    marks = [p["metadata"]["event_payload"] for p in posts]
    assert {p["metadata"]["event_type"] for p in posts} == {"teambot_digest"}
    return [(m["run"], m["part"], m["parts"]) for m in marks]


def _texts(posts: list[dict[str, Any]]) -> list[str]:
    return [p["text"] for p in posts]


def _poster(api_url: str) -> Post:
    settings = SlackSettings(  # type: ignore[call-arg]
        bot_token=BOT_TOKEN, signing_secret=SECRET, api_url=api_url, _env_file=None
    )
    return digest_poster(settings, digest_stories=STORIES)


def _destination(due: datetime) -> Destination:
    return Destination(*CHANNEL, Schedule(due.time(), UTC_ZONE))


def test_each_message_is_marked_with_its_run_and_part(fake: FakeSlack, stores: Stores) -> None:
    due = due_a_minute_ago()
    store = stores()
    build = fixed_digest(STORIES)
    post = digest_poster(slack_settings(fake), digest_stories=STORIES)
    outcome = scheduler(store, CHANNEL, post, build, due=due, now=due, owner="a").tick()
    assert [o.result for o in outcome] == ["posted"]
    run = due.date().isoformat()
    assert _parts(fake.posts) == [(run, 1, 2), (run, 2, 2)]
    assert not [c for c, _ in fake.calls if c == "conversations.history"]  # a first attempt


def test_run_that_died_after_part_one_posts_only_part_two(fake: FakeSlack, stores: Stores) -> None:
    due, build = due_a_minute_ago(), fixed_digest(STORIES)
    expected = _texts(digest_messages(build(window_of(due)), full=STORIES))
    assert len(expected) == 2
    post = digest_poster(slack_settings(fake), digest_stories=STORIES)
    fake.refuse_after = 1  # the second message never makes it: the process dies
    first = scheduler(stores(), CHANNEL, dies_on_failure(post), build, due=due, now=due, owner="a")
    with pytest.raises(Killed):
        first.tick()
    fake.refuse_after = None
    later = due + AFTER_THE_LEASE
    takeover = scheduler(stores(), CHANNEL, post, build, due=due, now=later, owner="b")
    assert [o.result for o in takeover.tick()] == ["posted"]
    run = due.date().isoformat()
    assert _parts(fake.posts) == [(run, 1, 2), (run, 2, 2)]  # part 2 only, once
    assert _texts(fake.posts) == expected
    history = [p for c, p in fake.calls if c == "conversations.history"]
    assert history and history[0]["include_all_metadata"] in ("1", "true")


def test_retry_after_everything_was_posted_posts_nothing(fake: FakeSlack, stores: Stores) -> None:
    due, build = due_a_minute_ago(), fixed_digest(STORIES)
    post = digest_poster(slack_settings(fake), digest_stories=STORIES)
    first = scheduler(stores(), CHANNEL, dies_after(post), build, due=due, now=due, owner="a")
    with pytest.raises(Killed):  # every message posted, then killed before recording it
        first.tick()
    later = due + AFTER_THE_LEASE
    takeover = scheduler(stores(), CHANNEL, post, build, due=due, now=later, owner="b")
    assert [o.result for o in takeover.tick()] == ["posted"]
    assert len(fake.posts) == 2
    assert takeover.tick() == []  # and the run is done


def test_unreadable_history_falls_back_to_posting_everything(
    fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    due = due_a_minute_ago()
    fake.history_error = "missing_scope"  # the app lacks channels:history
    post = digest_poster(slack_settings(fake), digest_stories=STORIES)
    post(_destination(due), fixed_digest(STORIES)(window_of(due)), resumed_run(due))
    run = due.date().isoformat()
    assert _parts(fake.posts) == [(run, 1, 2), (run, 2, 2)]  # never a lost digest
    assert "could not be read (SlackApiError" in caplog.text
    assert "missing_scope" in caplog.text


def test_other_runs_and_other_apps_marks_are_not_this_runs(fake: FakeSlack) -> None:
    due = due_a_minute_ago()
    yesterday = Run("1999-12-31", due, resumed=False)
    post = digest_poster(slack_settings(fake), digest_stories=STORIES)
    post(_destination(due), fixed_digest(STORIES)(window_of(due)), yesterday)
    fake.history["C7"].append(
        {
            "type": "message",
            "ts": "9999999999.000000",
            "text": "hi",
            "metadata": {"event_type": "x"},
        }
    )
    post(_destination(due), fixed_digest(STORIES)(window_of(due)), resumed_run(due))
    assert [part for _, part, _ in _parts(fake.posts)] == [1, 2, 1, 2]


def _post_in_process(api_url: str, data_dir: str, due_iso: str) -> None:
    """A bot process: posts the run due at ``due_iso`` (it is killed while posting)."""
    due = datetime.fromisoformat(due_iso)
    store = open_store(None, Path(data_dir))
    scheduler(
        store, CHANNEL, _poster(api_url), fixed_digest(STORIES), due=due, now=due, owner="p1"
    ).tick()


def test_process_killed_while_posting_is_resumed_without_a_repeat(
    fake: FakeSlack, loop: LoopThread, tmp_path: Path, stores: Stores
) -> None:
    """The issue: SIGKILL while posting, and the digest was posted again after the lease."""
    due = due_a_minute_ago()
    fake.hold_after = 0  # Slack takes the first message; its answer never reaches the bot
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter, like a bot process
    bot = ctx.Process(target=_post_in_process, args=(fake.api_url, str(tmp_path), due.isoformat()))
    bot.start()
    try:
        loop.run(fake.wait_for("posts", 1, timeout=60), 70)
    finally:
        os.kill(bot.pid or 0, signal.SIGKILL)
        bot.join(30)
        fake.hold_after = None
        loop.loop.call_soon_threadsafe(fake.released.set)
    assert bot.exitcode == -signal.SIGKILL
    later = due + AFTER_THE_LEASE
    post = _poster(fake.api_url)
    takeover = scheduler(
        stores(), CHANNEL, post, fixed_digest(STORIES), due=due, now=later, owner="b"
    )
    assert [o.result for o in takeover.tick()] == ["posted"]
    run = due.date().isoformat()
    assert _parts(fake.posts) == [(run, 1, 2), (run, 2, 2)]


def test_manifest_grants_reading_the_marks_back() -> None:
    import yaml

    import adapters.slack

    manifest = yaml.safe_load((Path(adapters.slack.__file__).parent / "manifest.yml").read_text())
    assert {"channels:history", "groups:history"} <= set(manifest["oauth_config"]["scopes"]["bot"])
