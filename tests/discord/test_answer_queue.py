"""Under load: each interaction is deferred before its answer starts, a full queue is
told it is busy, and every accepted question is answered exactly once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.discord import client
from adapters.wording import BUSY
from adapters.workers import WorkerPool
from bot.service import TeamBot
from tests.discord.conftest import SENTINEL_QUESTION, Connected, connect, disconnect
from tests.discord.fake_discord import APP_ID, FakeDiscord
from tests.discord.test_commands import _command
from tests.discord.test_messages import _mention, _text
from tests.held_answers import HeldAnswers
from tests.slack.fake_slack import LoopThread

DEFERRED, MESSAGE, EPHEMERAL = 5, 4, 64  # interaction callback types; the ephemeral flag


@pytest.fixture
def one_worker(
    loop: LoopThread, fake: FakeDiscord, seeds_bot: TeamBot, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Connected]:
    """The client with one worker and room for one more question in its queue."""
    monkeypatch.setattr(client, "WorkerPool", lambda: WorkerPool(1, 1))
    connected = connect(loop, fake, seeds_bot)
    yield connected
    disconnect(connected)


def test_interaction_is_deferred_before_its_answer_starts(
    one_worker: Connected, held: HeldAnswers
) -> None:
    deferrals_at_start: list[int] = []
    held.on_start = lambda question: deferrals_at_start.append(len(one_worker.fake.callbacks))
    _command(one_worker, "31001", "ask", question="Who is Billy Boman?")
    held.wait_started(1)
    assert deferrals_at_start == [1]
    assert one_worker.fake.callbacks[0]["type"] == DEFERRED
    held.release()
    (follow_up,) = one_worker.wait("messages", 1)
    assert "advertising agency" in _text(follow_up)


def test_full_queue_is_told_busy_and_each_accepted_question_is_answered_once(
    one_worker: Connected, held: HeldAnswers
) -> None:
    _command(one_worker, "31002", "ask", question="Who is Billy Boman?")
    held.wait_started(1)  # the only worker is busy with it
    _command(one_worker, "31003", "ask", question="What is a VLA model?")  # waits its turn
    _command(one_worker, "31004", "ask", question="How many parameters does RynnBrain have?")
    callbacks = one_worker.wait("callbacks", 3)
    assert [c["type"] for c in callbacks] == [DEFERRED, DEFERRED, MESSAGE]
    assert callbacks[2]["data"]["content"] == BUSY
    assert callbacks[2]["data"]["flags"] & EPHEMERAL  # only the asker sees it
    held.release()
    paths = sorted(m["path"] for m in one_worker.settle(2))
    assert paths == [f"webhooks/{APP_ID}/tok-31002", f"webhooks/{APP_ID}/tok-31003"]
    # Nothing but the two accepted questions began before settle's sentinel did.
    assert held.started == ["Who is Billy Boman?", "What is a VLA model?", SENTINEL_QUESTION]


def test_mention_that_finds_the_queue_full_gets_a_busy_reply(
    one_worker: Connected, held: HeldAnswers
) -> None:
    _command(one_worker, "31005", "ask", question="Who is Billy Boman?")
    held.wait_started(1)
    _command(one_worker, "31006", "ask", question="What is a VLA model?")
    one_worker.wait("callbacks", 2)
    one_worker.dispatch("MESSAGE_CREATE", _mention("31007", "qwen image olympics"))
    (reply,) = one_worker.wait("messages", 1)
    assert reply["message_reference"]["message_id"] == 31007
    assert reply["content"] == BUSY
    held.release()
    replies = [m for m in one_worker.settle(3) if m.get("message_reference")]
    assert len(replies) == 1  # the busy mention got no answer later
