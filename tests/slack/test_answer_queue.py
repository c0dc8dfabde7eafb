"""HTTP mode under load: the ack never waits for an answer, a full queue is told it is
busy, and every accepted question is answered exactly once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from adapters.slack import server
from adapters.wording import BUSY
from adapters.workers import WorkerPool
from bot.service import TeamBot
from tests.held_answers import HeldAnswers
from tests.slack.conftest import (
    SECRET,
    SENTINEL_QUESTION,
    Running,
    live,
    shutdown,
    slack_settings,
    start,
)
from tests.slack.fake_slack import FakeSlack, LoopThread, sign
from tests.slack.test_http_mode import _texts


@pytest.fixture
def one_worker(
    loop: LoopThread, fake: FakeSlack, seeds_bot: TeamBot, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Running]:
    """The adapter with one worker and room for one more question in its queue."""
    monkeypatch.setattr(server, "WorkerPool", lambda workers, queue: WorkerPool(1, 1))
    running = start(loop, fake, live(seeds_bot), slack_settings(fake))
    yield running
    shutdown(running)


def test_ack_arrives_while_its_answer_is_being_worked_on(
    one_worker: Running, held: HeldAnswers
) -> None:
    # The answer cannot finish until this test has its ack: an ack that waited
    # behind the answer would never come.
    status, body, _ = one_worker.command("/ask", "Who is Billy Boman?")
    assert (status, body) == (200, "")
    assert held.wait_started(1) == ["Who is Billy Boman?"]
    assert one_worker.fake.responses == []
    held.release()
    (response,) = one_worker.wait("responses", 1)
    assert "advertising agency" in _texts(response)


def test_full_queue_is_told_busy_and_each_accepted_question_is_answered_once(
    one_worker: Running, held: HeldAnswers
) -> None:
    first = one_worker.command("/ask", "Who is Billy Boman?", user="U1")
    held.wait_started(1)  # the only worker is busy with it
    second = one_worker.command("/ask", "What is a VLA model?", user="U2")  # waits its turn
    third = one_worker.command("/ask", "How many parameters does RynnBrain have?", user="U3")
    assert first[:2] == (200, "") and second[:2] == (200, "")
    assert third[:2] == (200, BUSY)  # the ack itself says so
    held.release()
    responses = one_worker.settle("responses", 2)
    assert len(responses) == 2
    assert len({r["_url"] for r in responses}) == 2
    texts = " ".join(_texts(r) for r in responses)
    assert "advertising agency" in texts and "Vision-language-action" in texts
    assert "30-billion-parameter" not in texts  # the busy question was never answered
    # Nothing but the two accepted questions began before settle's sentinel did.
    assert held.started == ["Who is Billy Boman?", "What is a VLA model?", SENTINEL_QUESTION]


def test_mention_that_finds_the_queue_full_gets_busy_in_its_thread(
    one_worker: Running, held: HeldAnswers
) -> None:
    one_worker.command("/ask", "Who is Billy Boman?", user="U1")
    held.wait_started(1)
    one_worker.command("/ask", "What is a VLA model?", user="U2")
    one_worker.event(
        {
            "type": "app_mention",
            "user": "U3",
            "text": "<@UBOT> qwen image olympics",
            "channel": "C1",
            "ts": "400.1",
        },
        event_id="EvBusy",
    )
    (post,) = one_worker.wait("posts", 1)
    assert post["thread_ts"] == "400.1" and BUSY in _texts(post)
    held.release()
    one_worker.settle("responses", 2)
    assert len(one_worker.fake.posts) == 1  # the busy mention got no answer later


def test_full_queue_still_refuses_bad_signatures_and_answers_help(
    one_worker: Running, held: HeldAnswers
) -> None:
    one_worker.command("/ask", "Who is Billy Boman?", user="U1")
    held.wait_started(1)
    one_worker.command("/ask", "What is a VLA model?", user="U2")  # the queue is full now
    body = urlencode({"command": "/ask", "text": "What did ByteDance ship?", "user_id": "U3"})
    form = "application/x-www-form-urlencoded"
    stale = sign(body, SECRET, timestamp=int(time.time()) - 301)
    assert one_worker.post(body, content_type=form, headers=stale, signed=False)[0] == 401
    wrong = {**sign(body, SECRET), "X-Slack-Signature": "v0=" + "0" * 64}
    assert one_worker.post(body, content_type=form, headers=wrong, signed=False)[0] == 401
    status, text, _ = one_worker.command("/ask", "help", user="U4")
    assert status == 200 and "I answer questions from the team's news articles" in text
    held.release()
    one_worker.wait("responses", 2)
