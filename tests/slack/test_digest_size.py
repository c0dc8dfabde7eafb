"""A big digest through the real SDKs and the fake Slack: /digest fits the five
messages a response_url takes or moves to chat.postMessage; scheduled posts stay
under their cap; "More stories" shows the next stories."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest

from adapters.slack.digest_format import (
    MORE_ACTION,
    POST_MESSAGES,
    RESPONSE_URL_MESSAGES,
    digest_messages,
)
from adapters.slack.digest_listeners import CUT_SHORT, NOT_A_MEMBER, POSTED
from adapters.slack.server import digest_poster
from bot.digest.schedule import Destination, Schedule
from bot.digest.window import Window, between
from bot.service import TeamBot
from tests.big_digest import big_digest, use_big_digests
from tests.scheduled_runs import first_run
from tests.slack.conftest import Running, live, shutdown, slack_settings, start
from tests.slack.fake_slack import FakeSlack, LoopThread
from tests.slack.test_digest_format import story_numbers, texts

NOW = datetime(2026, 2, 14, 8, tzinfo=UTC)


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> list[Window]:
    """200 big stories in every digest; the windows asked for."""
    return use_big_digests(monkeypatch)


def _start(loop: LoopThread, fake: FakeSlack, bot: TeamBot, **options: Any) -> Iterator[Running]:
    full = options.pop("digest_stories", 10)
    running = start(loop, fake, live(bot), slack_settings(fake, **options), digest_stories=full)
    yield running
    shutdown(running)


@pytest.fixture
def slack(loop: LoopThread, fake: FakeSlack, seeds_bot: TeamBot) -> Iterator[Running]:
    yield from _start(loop, fake, seeds_bot)


@pytest.fixture
def brief_slack(loop: LoopThread, fake: FakeSlack, seeds_bot: TeamBot) -> Iterator[Running]:
    yield from _start(loop, fake, seeds_bot, digest_stories=2)


@pytest.fixture
def private_slack(loop: LoopThread, fake: FakeSlack, seeds_bot: TeamBot) -> Iterator[Running]:
    yield from _start(loop, fake, seeds_bot, answer_visibility="ephemeral")


def _blocks(message: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = message["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


def _as_message(message: dict[str, Any]) -> dict[str, Any]:
    return {"text": message.get("text", ""), "blocks": _blocks(message)}


def _button(message: dict[str, Any]) -> str:
    last = _blocks(message)[-1]
    assert last["type"] == "actions"
    (element,) = last["elements"]
    assert element["action_id"] == MORE_ACTION and element["text"]["text"] == "More stories"
    return str(element["value"])


def _press_more(running: Running, value: str) -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": "U2", "username": "bob", "team_id": "T1"},
        "api_app_id": "A1",
        "token": "legacy",
        "container": {"type": "message", "message_ts": "1.1", "channel_id": "C1"},
        "trigger_id": "trig",
        "team": {"id": "T1", "domain": "test"},
        "channel": {"id": "C1", "name": "news"},
        "response_url": running.fake.response_url(),
        "actions": [
            {
                "type": "button",
                "action_id": MORE_ACTION,
                "block_id": "more",
                "value": value,
                "text": {"type": "plain_text", "text": "More stories"},
                "action_ts": "1.2",
            }
        ],
    }
    status, _, _ = running.post(
        urlencode({"payload": json.dumps(payload)}),
        content_type="application/x-www-form-urlencoded",
    )
    assert status == 200


def test_digest_that_fits_five_messages_is_the_reply(
    brief_slack: Running, windows: list[Window]
) -> None:
    brief_slack.command("/digest", "")
    expected = len(
        digest_messages(big_digest(windows[0] if windows else between(NOW, NOW)), full=2)
    )
    responses = brief_slack.settle("responses", 1)
    assert expected <= RESPONSE_URL_MESSAGES and len(responses) == expected
    assert brief_slack.fake.posts == [] and brief_slack.fake.refused == []
    assert {r["response_type"] for r in responses} == {"in_channel"}
    assert story_numbers([_as_message(r) for r in responses]) == list(range(1, 201))


def test_longer_digest_is_posted_to_the_channel_and_the_asker_told(
    slack: Running, windows: list[Window]
) -> None:
    slack.command("/digest", "")
    (note,) = slack.wait("responses", 1)
    expected = digest_messages(big_digest(windows[0]), full=10)
    assert RESPONSE_URL_MESSAGES < len(expected) <= POST_MESSAGES  # too long for a reply
    posts = slack.settle("posts", len(expected))
    assert len(slack.fake.posts) == len(expected) and len(slack.fake.responses) == 1
    assert {p["channel"] for p in posts} == {"C1"}
    assert note["response_type"] == "ephemeral" and POSTED in texts(_as_message(note))
    shown = [_as_message(p) for p in posts]
    assert story_numbers(shown) == list(range(1, 201))
    assert sum(b["type"] == "divider" for m in shown for b in m["blocks"]) == 10
    assert "[17] <https://news3.example/2026/02/14/story-1-article-17|" in texts(shown[0])


def test_not_in_the_channel_is_a_friendly_reply_with_the_first_stories(
    slack: Running, windows: list[Window]
) -> None:
    slack.fake.not_in.add("C1")
    slack.command("/digest", "")
    responses = slack.settle("responses", RESPONSE_URL_MESSAGES)
    assert slack.fake.posts == [] and slack.fake.refused == []
    assert len(slack.fake.responses) == RESPONSE_URL_MESSAGES
    note, *digest = responses
    assert note["response_type"] == "ephemeral" and NOT_A_MEMBER in texts(_as_message(note))
    shown = [_as_message(r) for r in digest]
    numbers = story_numbers(shown)
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) < 200
    _button(digest[-1])
    assert f"…and {200 - len(numbers)} more stories." in texts(shown[-1])


def test_a_post_refused_partway_is_reported_not_a_traceback(
    slack: Running, windows: list[Window]
) -> None:
    slack.fake.refuse_after = 2
    slack.command("/digest", "")
    (note,) = slack.settle("responses", 1)
    assert len(slack.fake.posts) == 2 and len(slack.fake.responses) == 1
    assert note["response_type"] == "ephemeral" and CUT_SHORT in texts(_as_message(note))


def test_ephemeral_digests_are_never_posted_for_the_channel(
    private_slack: Running, windows: list[Window]
) -> None:
    private_slack.command("/digest", "")
    private_slack.settle("responses", RESPONSE_URL_MESSAGES)
    assert private_slack.fake.posts == [] and private_slack.fake.refused == []
    assert len(private_slack.fake.responses) == RESPONSE_URL_MESSAGES
    assert {r["response_type"] for r in private_slack.fake.responses} == {"ephemeral"}
    _button(private_slack.fake.responses[-1])


def test_more_shows_the_next_stories_to_whoever_pressed_it(
    slack: Running, windows: list[Window]
) -> None:
    slack.fake.not_in.add("C1")  # the first page: five messages through the response_url
    slack.command("/digest", "2026-02-14")
    first = slack.wait("responses", RESPONSE_URL_MESSAGES)
    shown = story_numbers([_as_message(r) for r in first[1:]])
    _press_more(slack, _button(first[-1]))
    page = slack.settle("responses", RESPONSE_URL_MESSAGES + 1)[RESPONSE_URL_MESSAGES:]
    assert 1 <= len(page) <= RESPONSE_URL_MESSAGES and slack.fake.refused == []
    assert {r["response_type"] for r in page} == {"ephemeral"}
    assert texts(_as_message(page[0])).startswith("*Digest for 2026-02-14, continued*")
    following = story_numbers([_as_message(r) for r in page])
    assert following[0] == shown[-1] + 1 and following == sorted(following)
    assert windows[1] == windows[0]  # the same day's digest, rebuilt


def test_a_tampered_more_button_is_a_friendly_reply(slack: Running, windows: list[Window]) -> None:
    _press_more(slack, "d:2026-02-14:not-a-day:3")
    (response,) = slack.wait("responses", 1)
    assert "Sorry: that button is out of date; ask for the digest again with /digest" in texts(
        _as_message(response)
    )
    assert windows == []


def test_scheduled_digest_stays_under_the_cap_with_a_more_button(
    fake: FakeSlack, loop: LoopThread
) -> None:
    huge = big_digest(between(NOW, NOW), stories=1000)
    post = digest_poster(slack_settings(fake), digest_stories=10)
    post(Destination("slack", "C9", Schedule(NOW.time(), ZoneInfo("UTC"))), huge, first_run(NOW))
    # post() returned: every message it sent was answered, so recorded; none is on its way.
    posts = loop.run(fake.wait_for("posts", POST_MESSAGES))
    assert len(fake.posts) == POST_MESSAGES and {p["channel"] for p in posts} == {"C9"}
    shown = story_numbers([_as_message(p) for p in posts])
    assert shown == list(range(1, len(shown) + 1)) and len(shown) < 1000
    assert (
        _button(posts[-1])
        == f"t:{int(NOW.timestamp()) * 10**6}:{int(NOW.timestamp()) * 10**6}:{len(shown)}"
    )
