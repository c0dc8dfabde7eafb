"""Slack rendering: escaping, links, Slack's limits and splitting. Pure functions."""

from __future__ import annotations

from datetime import date

from adapters.guards import RateLimiter, Seen
from adapters.redact import RedactSecrets
from adapters.slack import format as fmt
from bot.models import Answer, ArticleRef, Citation

REF = ArticleRef("a1", "Kling & <Co>", "https://k.example/a?b=1&c=2", "k.example", date(2026, 2, 7))
BARE = ArticleRef("b2", "No Link <!here>", None, None, None)


def test_escape_and_strip_mentions() -> None:
    assert (
        fmt.escape("a & b <!channel> <@U1> c > d")
        == "a &amp; b &lt;!channel&gt; &lt;@U1&gt; c &gt; d"
    )
    assert fmt.strip_mentions("<@UBOT> what is <#C1|news> <!here> GLM-5?") == "what is GLM-5?"


def test_links_are_url_and_escaped_title_or_plain_title() -> None:
    assert fmt.link(REF) == "<https://k.example/a?b=1&c=2|Kling &amp; &lt;Co&gt;>"
    assert fmt.link(BARE) == "No Link &lt;!here&gt;"
    odd = ArticleRef("c", "T", "javascript:alert(1)", None, None)
    assert fmt.link(odd) == "T"
    assert fmt.source_line(REF).endswith(" · k.example · 2026-02-07")


def test_answer_message_has_blocks_sources_and_escaped_fallback() -> None:
    answer = Answer(
        "q",
        True,
        "Kling <!channel> makes 15s clips.",
        (Citation(REF, "Kling <!channel> makes 15s clips."),),
    )
    (message,) = fmt.answer_messages(answer)
    section, context = message["blocks"]
    assert section["text"]["text"] == "Kling &lt;!channel&gt; makes 15s clips. [1]"
    assert context["elements"][0]["text"].startswith("[1] <https://k.example/a?b=1&c=2|")
    assert "<!channel>" not in message["text"] and message["text"].startswith(
        "Kling &lt;!channel&gt;"
    )


def test_not_sure_tier_quotes_closest_passages_with_sources() -> None:
    answer = Answer(
        "q",
        False,
        "I couldn't find a direct answer; the closest passages are:",
        related=(Citation(REF, "Kling <b> makes clips."), Citation(REF, "Second.")),
        confidence=0.3,
    )
    (message,) = fmt.answer_messages(answer)
    blocks = message["blocks"]
    assert blocks[0]["text"]["text"].startswith("I couldn't find a direct answer")
    assert blocks[1]["text"]["text"] == "> Kling &lt;b&gt; makes clips."
    assert blocks[2]["type"] == "context"
    assert blocks[2]["elements"][0]["text"].startswith("<https://k.example")
    assert blocks[3]["text"]["text"] == "> Second."
    assert "&gt; Kling &lt;b&gt; makes clips." in message["text"]


def test_nothing_tier_is_the_plain_abstention() -> None:
    (message,) = fmt.answer_messages(Answer("q", False, "The articles don't answer this question."))
    assert [b["text"]["text"] for b in message["blocks"]] == [
        "The articles don't answer this question."
    ]


def test_corrected_spelling_is_shown() -> None:
    answer = Answer("rynnbrian", True, "One.", (Citation(REF, "One."),), searched_for="rynnbrain")
    (message,) = fmt.answer_messages(answer)
    assert message["blocks"][0]["text"]["text"].startswith("_Searched for: rynnbrain_\n")


def test_sections_stay_within_3000_characters_in_order() -> None:
    long = " ".join(f"word{n} &" for n in range(2000))
    (message,) = fmt.text_message(long)
    chunks = [b["text"]["text"] for b in message["blocks"]]
    assert len(chunks) > 1 and all(len(c) <= fmt.SECTION_CHARS for c in chunks)
    assert " ".join(chunks) == fmt.escape(long)
    assert not any(
        c.endswith("&amp") or c.endswith("&") and not c.endswith("&amp;") for c in chunks
    )


def test_rate_limiter_window() -> None:
    now = [0.0]
    limiter = RateLimiter(2, window=60, clock=lambda: now[0])
    assert limiter.allow("u") == 0 and limiter.allow("u") == 0
    assert limiter.allow("u") == 60
    now[0] = 30
    assert limiter.allow("u") == 30 and limiter.allow("v") == 0
    now[0] = 60
    assert limiter.allow("u") == 0


def test_seen_acts_once_per_key_and_forgets_old_keys() -> None:
    seen = Seen(size=3)
    assert seen.first("e1", "C1:1")
    assert not seen.first("e2", "C1:1")  # same message under another event id
    assert not seen.first("e1")  # a retried delivery
    assert seen.first("e3") and seen.first("e4")  # the oldest keys make room
    assert seen.first("e2")  # forgotten: more than `size` newer keys since


def test_redaction_filter_scrubs_secrets() -> None:
    import logging

    record = logging.LogRecord(
        "x", logging.INFO, "f", 1, "token %s sent", ("xoxb-secret-123",), None
    )
    RedactSecrets(["xoxb-secret-123"]).filter(record)
    assert record.getMessage() == "token [redacted] sent"


def test_env_example_lists_every_slack_setting() -> None:
    from adapters.slack.settings import SlackSettings
    from bot.settings import BUNDLED_SEEDS

    example = (BUNDLED_SEEDS.parent / ".env.example").read_text()
    for name in SlackSettings.model_fields:
        assert f"SLACK_{name.upper()}=" in example


def test_manifest_declares_commands_scopes_events_and_socket_mode() -> None:
    from pathlib import Path

    import yaml

    import adapters.slack

    manifest = yaml.safe_load((Path(adapters.slack.__file__).parent / "manifest.yml").read_text())
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {"/ask", "/digest", "/sources"}
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "commands", "im:history"} <= scopes
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_mention",
        "message.im",
    }
    assert manifest["settings"]["socket_mode_enabled"] is True


def test_blank_slack_settings_mean_unset(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from adapters.slack.settings import load_slack_settings
    from bot.errors import ConfigError

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1234567890")
    monkeypatch.setenv("SLACK_APP_TOKEN", "")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "  ")
    with pytest.raises(ConfigError, match="set SLACK_APP_TOKEN"):
        load_slack_settings()
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cret-value")
    settings = load_slack_settings()
    assert settings.app_token is None and settings.secrets() == ["xoxb-1234567890", "s3cret-value"]
