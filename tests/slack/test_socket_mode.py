"""Socket Mode: envelopes over the fake websocket, acknowledged and answered."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from bot.service import TeamBot
from tests.slack.conftest import APP_TOKEN, Running, live, shutdown, slack_settings, start
from tests.slack.fake_slack import FakeSlack, LoopThread
from tests.slack.test_http_mode import _texts


@pytest.fixture
def socket(loop: LoopThread, fake: FakeSlack, seeds_bot: TeamBot) -> Iterator[Running]:
    running = start(loop, fake, live(seeds_bot), slack_settings(fake, app_token=APP_TOKEN))
    yield running
    shutdown(running)


def _command(socket: Running, text: str, command: str = "/ask") -> str:
    payload = {
        "command": command,
        "text": text,
        "user_id": "U1",
        "channel_id": "C1",
        "team_id": "T1",
        "response_url": socket.fake.response_url(),
        "trigger_id": "t",
        "api_app_id": "A1",
    }
    return str(socket.loop.run(socket.fake.send_envelope("slash_commands", payload)))


def _event(socket: Running, event: dict, event_id: str, retry: int = 0) -> str:  # type: ignore[type-arg]
    payload = {
        "type": "event_callback",
        "team_id": "T1",
        "api_app_id": "A1",
        "event_id": event_id,
        "event": event,
        "event_time": int(time.time()),
    }
    return str(socket.loop.run(socket.fake.send_envelope("events_api", payload, retry=retry)))


def test_connects_with_the_app_token(socket: Running) -> None:
    opened = [c for c in socket.fake.calls if c[0] == "apps.connections.open"]
    assert opened and opened[0][1]["_token"] == APP_TOKEN


def test_slash_command_is_acked_then_answered(socket: Running) -> None:
    envelope = _command(socket, "How many parameters does RynnBrain have?")
    acks = socket.wait("acks", 1)
    assert acks[0]["envelope_id"] == envelope
    (response,) = socket.wait("responses", 1)
    assert "30-billion-parameter" in _texts(response)


def test_each_command_over_the_socket(socket: Running) -> None:
    _command(socket, "", command="/sources")
    _command(socket, "2026-01-28", command="/digest")
    texts = " ".join(_texts(r) for r in socket.wait("responses", 2))
    assert "5 articles, newest first:" in texts and "Chinese AI Surge" in texts
    _command(socket, "")  # empty /ask: usage in the ack's payload, nothing else
    acks = socket.wait("acks", 3)
    assert any("/ask how many parameters" in str(a.get("payload", "")) for a in acks)


def test_mention_and_retried_envelope_answered_once(socket: Running) -> None:
    mention = {
        "type": "app_mention",
        "user": "U1",
        "text": "<@UBOT> Who is Adina Yakefu?",
        "channel": "C1",
        "ts": "500.1",
    }
    _event(socket, mention, "EvS1")
    _event(socket, mention, "EvS1", retry=1)
    (post,) = socket.wait("posts", 1)
    assert post["thread_ts"] == "500.1" and "Hugging Face" in _texts(post)
    socket.wait("acks", 2)  # both deliveries are acknowledged...
    assert len(socket.settle("posts", 1)) == 1  # ...but answered once
