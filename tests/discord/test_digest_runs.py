"""Scheduled Discord digests exactly once, even when a process dies in the middle of a post:
each message carries a nonce and a label of its run, and a resumed run posts only what is
missing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import discord
import pytest

from adapters.digest_runs import Mark
from adapters.discord.digest_format import digest_replies
from adapters.discord.format import MESSAGE_EMBED_CHARS, Reply, embed_size
from adapters.discord.runs import NONCE_CHARS, label, marked, nonce
from adapters.discord.server import digest_poster
from bot.digest.schedule import Destination, Schedule
from bot.digest.scheduler import Run
from bot.state.open import open_store
from bot.state.store import SqlStore
from tests.discord.conftest import Connected
from tests.discord.fake_discord import CHANNEL
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

STORIES = 2  # in full: two Discord messages
DESTINATION = ("discord", CHANNEL)
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


def _labels(messages: list[dict[str, Any]]) -> list[str]:
    """The label each message shows in its last embed's footer."""
    return [m["embeds"][-1]["footer"]["text"] for m in messages]


def _settle(connected: Connected, count: int) -> list[dict[str, Any]]:
    """The channel's messages once ``count`` arrived and nothing more is on its way."""
    return connected.settle(count)


def _destination(due: datetime) -> Destination:
    return Destination(*DESTINATION, Schedule(due.time(), UTC_ZONE))


def test_each_message_carries_a_nonce_and_a_label_of_its_run(
    discord_bot: Connected, stores: Stores
) -> None:
    due = due_a_minute_ago()
    post = digest_poster(discord_bot.clients, digest_stories=STORIES)
    outcome = scheduler(
        stores(), DESTINATION, post, fixed_digest(STORIES), due=due, now=due, owner="a"
    ).tick()
    assert [o.result for o in outcome] == ["posted"]
    messages = _settle(discord_bot, 2)
    run = due.date().isoformat()
    assert _labels(messages) == [
        f"Scheduled digest {run} · part 1 of 2",
        f"Scheduled digest {run} · part 2 of 2",
    ]
    nonces = [m["nonce"] for m in messages]
    assert nonces == [nonce(CHANNEL, Mark(run, n, 2)) for n in (1, 2)]
    assert len(set(nonces)) == 2 and all(m["enforce_nonce"] for m in messages)
    reads = [c for c in discord_bot.fake.calls if c[0] == "GET" and c[1].endswith("/messages")]
    assert reads == []  # a first attempt reads nothing


def test_run_that_died_after_part_one_posts_only_part_two(
    discord_bot: Connected, stores: Stores
) -> None:
    due, build = due_a_minute_ago(), fixed_digest(STORIES)
    expected = digest_replies(build(window_of(due)), full=STORIES)
    assert len(expected) == 2
    post = digest_poster(discord_bot.clients, digest_stories=STORIES)
    discord_bot.fake.refuse_after = 1  # the second message never makes it: the process dies
    first = scheduler(
        stores(), DESTINATION, dies_on_failure(post), build, due=due, now=due, owner="a"
    )
    with pytest.raises(Killed):
        first.tick()
    discord_bot.fake.refuse_after = None
    later = due + AFTER_THE_LEASE
    discord_bot.fake.nonce_seconds = 0  # the lease outlasts the minutes Discord keeps nonces
    takeover = scheduler(stores(), DESTINATION, post, build, due=due, now=later, owner="b")
    assert [o.result for o in takeover.tick()] == ["posted"]
    messages = _settle(discord_bot, 2)
    run = due.date().isoformat()
    assert _labels(messages) == [
        f"Scheduled digest {run} · part 1 of 2",
        f"Scheduled digest {run} · part 2 of 2",  # part 2 only, once
    ]
    assert [m["embeds"][0]["title"] for m in messages] == [r.embeds[0]["title"] for r in expected]


def test_retry_after_everything_was_posted_posts_nothing(
    discord_bot: Connected, stores: Stores
) -> None:
    due, build = due_a_minute_ago(), fixed_digest(STORIES)
    post = digest_poster(discord_bot.clients, digest_stories=STORIES)
    first = scheduler(stores(), DESTINATION, dies_after(post), build, due=due, now=due, owner="a")
    with pytest.raises(Killed):  # every message posted, then killed before recording it
        first.tick()
    later = due + AFTER_THE_LEASE
    discord_bot.fake.nonce_seconds = 0  # the lease outlasts the minutes Discord keeps nonces
    takeover = scheduler(stores(), DESTINATION, post, build, due=due, now=later, owner="b")
    assert [o.result for o in takeover.tick()] == ["posted"]
    assert len(_settle(discord_bot, 2)) == 2
    assert takeover.tick() == []  # and the run is done


def test_unreadable_history_falls_back_to_posting_everything(
    discord_bot: Connected, caplog: pytest.LogCaptureFixture
) -> None:
    due = due_a_minute_ago()
    discord_bot.fake.history_error = 403  # no Read Message History permission
    post = digest_poster(discord_bot.clients, digest_stories=STORIES)
    post(_destination(due), fixed_digest(STORIES)(window_of(due)), resumed_run(due))
    assert len(_settle(discord_bot, 2)) == 2  # never a lost digest
    assert "could not be read (Forbidden: 403 Forbidden (error code: 50001)" in caplog.text


def test_resend_within_minutes_is_answered_with_the_message_already_sent(
    discord_bot: Connected,
) -> None:
    """With the history unreadable a resumed run sends every part again; the nonce makes
    Discord return a part it already has instead of posting it twice."""
    due = due_a_minute_ago()
    digest = fixed_digest(STORIES)(window_of(due))
    post = digest_poster(discord_bot.clients, digest_stories=STORIES)
    discord_bot.fake.refuse_after = 1
    with pytest.raises(discord.Forbidden):  # part 1 posted, part 2 refused
        post(_destination(due), digest, Run(due.date().isoformat(), due, resumed=False))
    discord_bot.fake.refuse_after = None
    discord_bot.fake.history_error = 403
    post(_destination(due), digest, resumed_run(due))
    messages = _settle(discord_bot, 2)
    sends = [c for c in discord_bot.fake.calls if c[0] == "POST" and c[1].endswith("/messages")]
    assert len(sends) == 4  # part 1, part 2 refused; then part 1 again and part 2
    assert [m["nonce"] for m in messages] == [sends[0][2]["nonce"], sends[3][2]["nonce"]]
    assert len(discord_bot.fake.history[CHANNEL]) == 2


def test_label_goes_under_the_content_when_the_embeds_have_no_room() -> None:
    mark = Mark("2026-01-10", 1, 1)
    assert marked(Reply(content="Nothing new since yesterday."), mark) == (
        "Nothing new since yesterday.\n-# Scheduled digest 2026-01-10 · part 1 of 1",
        [],
    )
    full = {"description": "x" * (MESSAGE_EMBED_CHARS - 10)}
    content, embeds = marked(Reply(content="**Digest**", embeds=(full,)), mark)
    assert content.endswith("\n-# " + label(mark)) and embeds == [full]
    assert sum(embed_size(e) for e in embeds) <= MESSAGE_EMBED_CHARS


def test_nonce_is_short_and_differs_by_channel_run_and_part() -> None:
    marks = [Mark(run, part, 2) for run in ("2026-01-10", "2026-01-11") for part in (1, 2)]
    nonces = {nonce(channel, m) for channel in ("600", "601") for m in marks}
    assert len(nonces) == 8 and all(len(n) <= NONCE_CHARS for n in nonces)
    assert nonce("600", marks[0]) == nonce("600", Mark("2026-01-10", 1, 3))  # same part
