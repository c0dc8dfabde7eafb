"""HTTP mode: slash commands, mentions, DMs, signatures and duplicates, end to end."""

from __future__ import annotations

import json
import time

import pytest

from tests.held_answers import HeldAnswers
from tests.slack.conftest import Running


def _texts(message: dict) -> str:  # type: ignore[type-arg]
    blocks = message.get("blocks", [])
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    parts = [message.get("text", "")]
    for block in blocks:
        if block.get("text"):
            parts.append(block["text"]["text"])
        parts += [e["text"] for e in block.get("elements", [])]
    return "\n".join(parts)


def test_ask_is_acked_then_answered_through_response_url(http: Running) -> None:
    status, body, _ = http.command("/ask", "How many parameters does RynnBrain have?")
    assert status == 200 and body == ""
    (response,) = http.wait("responses", 1)
    assert response["response_type"] == "in_channel"
    text = _texts(response)
    assert "30-billion-parameter" in text
    assert "[1] China's Spring Festival AI Blitz" in text
    assert response["text"]  # the plain-text fallback is always set


def test_not_sure_answer_arrives_as_quotes_with_sources(http: Running) -> None:
    http.command("/ask", "What did ByteDance ship?")
    (response,) = http.wait("responses", 1)
    text = _texts(response)
    assert text.startswith("I couldn't find a direct answer; the closest passages are:")
    assert "&gt; ByteDance shipped Seedance 2.0" in text
    assert "China's Spring Festival AI Blitz" in text  # each quote's source


def test_empty_ask_gets_usage_help(http: Running) -> None:
    status, body, _ = http.command("/ask", "   ")
    assert status == 200 and "/ask how many parameters does RynnBrain have?" in body
    assert http.fake.responses == []


def test_digest_and_sources_commands(http: Running) -> None:
    http.command("/digest", "2026-02-14")
    http.command("/sources", "")
    responses = http.wait("responses", 2)
    texts = sorted(_texts(r) for r in responses)
    assert any("Digest for 2026-02-14: 1 story" in t for t in texts)
    assert any("5 articles, newest first:" in t for t in texts)


def test_bad_digest_date_is_a_friendly_reply(http: Running) -> None:
    http.command("/digest", "someday")
    (response,) = http.wait("responses", 1)
    assert "Sorry: invalid date 'someday'" in _texts(response)


def test_ack_arrives_while_its_answer_is_still_being_worked_on(
    http: Running, held: HeldAnswers
) -> None:
    # The answer cannot finish until this test has its ack: an ack that waited behind
    # the answer would never come. (Slack's 3-second deadline is a timing goal:
    # bench/load.py measures it.)
    status, body, _ = http.command("/ask", "Who is Billy Boman?")
    assert (status, body) == (200, "") and held.wait_started(1) == ["Who is Billy Boman?"]
    assert http.fake.responses == []
    held.release()
    (response,) = http.wait("responses", 1)
    assert "advertising agency" in _texts(response)


def test_unsigned_wrongly_signed_and_stale_requests_get_401(http: Running) -> None:
    body = "command=%2Fask&text=hello&user_id=U1&response_url=http%3A%2F%2F127.0.0.1%3A1%2Fx"
    form = "application/x-www-form-urlencoded"
    assert http.post(body, content_type=form, signed=False)[0] == 401
    wrong = {
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64,
    }
    assert http.post(body, content_type=form, headers=wrong, signed=False)[0] == 401
    from tests.slack.conftest import SECRET
    from tests.slack.fake_slack import sign

    stale = sign(body, SECRET, timestamp=int(time.time()) - 301)
    assert http.post(body, content_type=form, headers=stale, signed=False)[0] == 401
    assert http.settle("responses", 0) == [] and http.fake.posts == []


def test_mention_is_answered_in_its_thread(http: Running) -> None:
    http.event(
        {
            "type": "app_mention",
            "user": "U1",
            "text": "<@UBOT> qwen image olympics",
            "channel": "C1",
            "ts": "100.1",
        },
        event_id="EvA",
    )
    http.event(
        {
            "type": "app_mention",
            "user": "U1",
            "text": "<@UBOT> who is Billy Boman?",
            "channel": "C1",
            "ts": "100.9",
            "thread_ts": "100.1",
        },
        event_id="EvB",
    )
    posts = http.wait("posts", 2)
    # Both answers go to the thread of the first message: the first starts it,
    # the mention made inside it is answered there too.
    assert [p["thread_ts"] for p in posts] == ["100.1", "100.1"]
    texts = " ".join(_texts(p) for p in posts)
    assert "Winter Olympics" in texts and "advertising agency" in texts


def test_dm_is_answered_in_the_dm(http: Running) -> None:
    http.event(
        {
            "type": "message",
            "channel_type": "im",
            "user": "U1",
            "text": "What is a VLA model?",
            "channel": "D1",
            "ts": "200.1",
        },
        event_id="EvDM",
    )
    (post,) = http.wait("posts", 1)
    assert post["channel"] == "D1" and post.get("thread_ts") is None
    assert "Vision-language-action" in _texts(post)


def test_duplicates_and_bots_are_answered_once_or_never(http: Running) -> None:
    mention = {
        "type": "app_mention",
        "user": "U1",
        "text": "<@UBOT> What is a VLA model?",
        "channel": "C1",
        "ts": "300.1",
    }
    as_message = {**mention, "type": "message", "channel_type": "channel"}
    http.event(mention, event_id="Ev1")
    http.event(
        mention, event_id="Ev1", **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"}
    )
    http.event(as_message, event_id="Ev2")
    dm = {
        "type": "message",
        "channel_type": "im",
        "user": "U2",
        "text": "<@UBOT> Who is Billy Boman?",
        "channel": "D2",
        "ts": "300.5",
    }
    http.event(dm, event_id="Ev3")
    http.event({**dm, "type": "app_mention"}, event_id="Ev4")  # same message, other event type
    http.event({**dm, "ts": "300.6", "bot_id": "B2"}, event_id="Ev5")  # another bot
    http.event({**dm, "ts": "300.7", "subtype": "bot_message"}, event_id="Ev6")
    http.event({**dm, "ts": "300.8", "user": "UBOT"}, event_id="Ev7")  # itself
    posts = http.settle("posts", 2)
    assert len(posts) == 2
    assert sorted(p["channel"] for p in posts) == ["C1", "D2"]


def test_exception_while_answering_is_a_friendly_reply_and_serving_goes_on(
    http: Running, ask_fails_once: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    http.command("/ask", "What is a VLA model?")
    http.command("/ask", "What is a VLA model?")
    responses = http.wait("responses", 2)
    texts = [_texts(r) for r in responses]
    assert any("Sorry, something went wrong" in t for t in texts)
    assert any("Vision-language-action" in t for t in texts)
    assert "index exploded" not in "".join(texts)
    assert "index exploded" in caplog.text


def test_overlong_question_gets_a_clear_reply(http: Running) -> None:
    http.command("/ask", "kling " * 400)
    (response,) = http.wait("responses", 1)
    assert "the limit is 2,000" in _texts(response)


def test_url_verification_handshake(http: Running) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "legacy"})
    status, text, _ = http.post(body, content_type="application/json")
    assert status == 200 and "abc123" in text


def test_slack_commands_do_not_load_the_sdk_for_other_commands() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from adapters.cli import build_parser; build_parser();"
        "print([m for m in sys.modules if m.startswith(('slack_bolt', 'slack_sdk', 'aiohttp'))])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
