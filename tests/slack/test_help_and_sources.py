"""``help`` and ``sources`` as the whole message are commands; /sources on a
20,000-article corpus is one page with a "More articles" button; a malformed body
is the sender's error. End to end, through the fake Slack."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from adapters.digest_pages import SOURCES_PAGE
from adapters.slack.format import SOURCES_ACTION
from bot.help import ABOUT
from bot.service import TeamBot
from tests.adapters.many_articles import use_many_articles
from tests.slack.conftest import Running, live, shutdown, slack_settings, start
from tests.slack.fake_slack import FakeSlack, LoopThread
from tests.slack.test_digest_format import texts


def _event(text: str, ts: str, **extra: str) -> dict[str, Any]:
    return {"type": "app_mention", "user": "U1", "text": text, "channel": "C1", "ts": ts, **extra}


def test_ask_help_is_the_help_text_not_an_answer(http: Running) -> None:
    status, body, _ = http.command("/ask", "help")
    assert status == 200 and ABOUT in body and "/digest" in body and "/sources" in body
    assert http.settle("responses", 0) == []  # no answer about "help" follows


@pytest.mark.parametrize("said", ["<@UBOT> help", "<@UBOT> Help?"])
def test_a_mention_that_is_only_help_gets_the_help_text(http: Running, said: str) -> None:
    http.event(_event(said, "500.1"), event_id="EvHelp")
    (post,) = http.wait("posts", 1)
    assert post["thread_ts"] == "500.1" and ABOUT in _texts(post)


def test_help_in_a_dm_is_the_help_text(http: Running) -> None:
    dm = {"type": "message", "channel_type": "im", "user": "U1", "text": "help", "channel": "D1"}
    http.event({**dm, "ts": "500.2"}, event_id="EvDMHelp")
    (post,) = http.wait("posts", 1)
    assert post["channel"] == "D1" and ABOUT in _texts(post)


def test_sources_by_mention_and_through_ask_lists_the_articles(http: Running) -> None:
    http.event(_event("<@UBOT> sources", "500.3"), event_id="EvSources")
    http.command("/ask", "sources")
    (post,) = http.wait("posts", 1)
    (response,) = http.wait("responses", 1)
    for message in (post, response):
        assert "5 articles, newest first:" in _texts(message)


def test_a_question_about_help_is_still_a_question(http: Running) -> None:
    http.command("/ask", "help me: what is a VLA model?")
    (response,) = http.wait("responses", 1)
    assert "Vision-language-action" in _texts(response) and ABOUT not in _texts(response)


@pytest.fixture
def huge_corpus(
    loop: LoopThread, fake: FakeSlack, seeds_bot: TeamBot, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Running]:
    use_many_articles(monkeypatch)
    running = start(loop, fake, live(seeds_bot), slack_settings(fake))
    yield running
    shutdown(running)


def _blocks(message: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = message["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


def _texts(message: dict[str, Any]) -> str:
    """The message's block texts (the fake records blocks as sent: JSON or a list)."""
    return texts({"blocks": _blocks(message)})


def _more(message: dict[str, Any]) -> str:
    (element,) = _blocks(message)[-1]["elements"]
    assert element["action_id"] == SOURCES_ACTION and element["text"]["text"] == "More articles"
    return str(element["value"])


def _press(running: Running, value: str) -> None:
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
                "action_id": SOURCES_ACTION,
                "block_id": "more",
                "value": value,
                "text": {"type": "plain_text", "text": "More articles"},
                "action_ts": "1.2",
            }
        ],
    }
    body = urlencode({"payload": json.dumps(payload)})
    assert running.post(body, content_type="application/x-www-form-urlencoded")[0] == 200


def test_sources_of_20000_articles_is_one_message_and_more_continues_privately(
    huge_corpus: Running,
) -> None:
    huge_corpus.command("/sources", "")
    (first,) = huge_corpus.settle("responses", 1)
    assert huge_corpus.fake.refused == []
    assert _texts(first).startswith("*20,000 articles, newest first (1–20):*\n1. <https://")
    _press(huge_corpus, _more(first))
    (_, page) = huge_corpus.settle("responses", 2)
    assert page["response_type"] == "ephemeral"
    assert f"\n{SOURCES_PAGE + 1}. <https://" in _texts(page)
    assert _more(page) == f"s:{2 * SOURCES_PAGE}"


def test_a_tampered_more_articles_button_is_a_friendly_reply(huge_corpus: Running) -> None:
    _press(huge_corpus, "s:not-a-number")
    (response,) = huge_corpus.wait("responses", 1)
    assert "Sorry: that button is out of date; list the articles again with /sources" in _texts(
        response
    )


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"type": "event_callback", ', "application/json"),
        ("[1, 2]", "application/json"),
        ("42", "application/json"),
        ("payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        ("payload=%5B1%5D", "application/x-www-form-urlencoded"),
    ],
)
def test_a_signed_malformed_body_is_a_400_and_serving_goes_on(
    http: Running, body: str, content_type: str
) -> None:
    status, _, _ = http.post(body, content_type=content_type)
    assert status == 400
    http.command("/ask", "What is a VLA model?")
    (response,) = http.wait("responses", 1)
    assert "Vision-language-action" in _texts(response)
