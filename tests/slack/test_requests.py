"""Slack payloads become ``Request`` values: ``adapters.slack.requests``."""

from __future__ import annotations

from typing import Any

from adapters.requests import Request
from adapters.slack.requests import action_request, command_request, event_request


def slash(command: str, text: str) -> dict[str, Any]:
    """A slash command's payload as bolt hands it to a listener (Slack's form fields)."""
    return {
        "token": "legacy",
        "team_id": "T1",
        "channel_id": "C1",
        "channel_name": "news",
        "user_id": "U1",
        "user_name": "ann",
        "command": command,
        "text": text,
        "api_app_id": "A1",
        "response_url": "https://hooks.slack.com/commands/T1/1/x",
        "trigger_id": "trig",
    }


def mention(text: str) -> dict[str, Any]:
    """An ``app_mention`` event's ``event`` dict."""
    return {
        "type": "app_mention",
        "user": "U2",
        "text": text,
        "ts": "1700000000.000100",
        "channel": "C1",
        "event_ts": "1700000000.000100",
    }


def test_command_request_ask_is_the_question_without_mentions() -> None:
    request = command_request(slash("/ask", "<@U9> what did  ByteDance ship?"))
    assert request == Request("ask", text="what did ByteDance ship?", user="U1")


def test_command_request_ask_help_or_nothing_is_help() -> None:
    assert command_request(slash("/ask", "")) == Request("help")
    assert command_request(slash("/ask", " Help? ")) == Request("help")


def test_command_request_ask_sources_is_the_article_list() -> None:
    assert command_request(slash("/ask", "sources")) == Request("sources", user="U1")


def test_command_request_digest_takes_the_day_typed() -> None:
    assert command_request(slash("/digest", " yesterday ")) == Request(
        "digest", day="yesterday", user="U1"
    )
    assert command_request(slash("/digest", "")) == Request("digest", user="U1")


def test_command_request_sources_ignores_its_text() -> None:
    assert command_request(slash("/sources", "anything")) == Request("sources", user="U1")


def test_event_request_mention_is_a_question_from_its_user() -> None:
    request = event_request(mention("<@UBOT> how many parameters does RynnBrain have?"))
    assert request == Request("ask", text="how many parameters does RynnBrain have?", user="U2")
    assert event_request(mention("<@UBOT>")) == Request("help")


def test_action_request_carries_the_button_state() -> None:
    action = {"action_id": "teambot_more", "type": "button", "value": "d:2026-02-14:2026-02-14:30"}
    assert action_request(action, "digest") == Request("digest", page="d:2026-02-14:2026-02-14:30")
    assert action_request({"value": "s:20"}, "sources") == Request("sources", page="s:20")
