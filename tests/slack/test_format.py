"""Slack rendering: escaping, links, Slack's limits and splitting. Pure functions."""

from __future__ import annotations

from datetime import date

from adapters.guards import RateLimiter, Seen
from adapters.redact import RedactSecrets
from adapters.requests import Failure
from adapters.slack import format as fmt
from bot.models import Answer, ArticleRef, Citation
from tests.adapters.help_value import ODD_HELP

REF = ArticleRef("a1", "Kling & <Co>", "https://k.example/a?b=1&c=2", "k.example", date(2026, 2, 7))
BARE = ArticleRef("b2", "No Link <!here>", None, None, None)


def test_escape_and_strip_mentions() -> None:
    assert (
        fmt.escape("a & b <!channel> <@U1> c > d")
        == "a &amp; b &lt;!channel&gt; &lt;@U1&gt; c &gt; d"
    )
    assert fmt.strip_mentions("<@UBOT> what is <#C1|news> <!here> GLM-5?") == "what is GLM-5?"


def test_links_are_url_and_escaped_title_or_plain_title() -> None:
    assert fmt.link(REF) == "<https://k.example/a?b=1&amp;c=2|Kling &amp; &lt;Co&gt;>"
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
    assert context["elements"][0]["text"].startswith("[1] <https://k.example/a?b=1&amp;c=2|")
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
    messages = fmt.text_message(long)
    chunks = [b["text"]["text"] for m in messages for b in m["blocks"]]
    # 26,890 characters once escaped: three messages, each within MESSAGE_CHARS.
    assert len(messages) == 3
    assert all(sum(map(fmt.block_chars, m["blocks"])) <= fmt.MESSAGE_CHARS for m in messages)
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


def _mrkdwn(message: fmt.Message) -> list[dict]:  # type: ignore[type-arg]
    objects = []
    for block in message["blocks"]:
        if block.get("text", {}).get("type") == "mrkdwn":
            objects.append(block["text"])
        objects += [e for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
    return objects


def test_fallback_text_stays_within_its_limit_after_escaping() -> None:
    answer = Answer("q", False, "<&> " * 1000)  # 4,000 characters, 16,000 once escaped
    message, *_ = fmt.answer_messages(answer)
    assert len(message["text"]) <= fmt.FALLBACK_CHARS
    assert message["text"].endswith("…") and "&lt;&amp;&gt;" in message["text"]
    assert not message["text"][:-1].rstrip().endswith(("&", "&a", "&am", "&amp", "&l", "&lt"))


def test_every_mrkdwn_text_is_verbatim_so_slack_parses_no_plain_mention_or_url() -> None:
    # Slack's default (verbatim false) turns "@channel" and bare URLs in text into
    # mentions and links; article text must stay text.
    answer = Answer("q", True, "x", (Citation(REF, "Ping @channel at https://evil.example"),))
    messages = [*fmt.answer_messages(answer), *fmt.sources_messages([REF, BARE])]
    objects = [o for m in messages for o in _mrkdwn(m)]
    assert objects and all(o.get("verbatim") is True for o in objects)


def test_a_url_cannot_close_its_link_or_plant_a_mention() -> None:
    url = "https://x.example/a|<!channel>> <@U1> <https://evil.example|y>"
    evil = ArticleRef("e", "T", url, None, None)
    assert fmt.link(evil) == (
        "<https://x.example/a%7C%3C!channel%3E%3E%20%3C%40U1%3E%20%3Chttps://evil.example%7Cy%3E|T>"
    )
    assert fmt.link(ArticleRef("f", "T", "http://[x", None, None)) == "T"


def test_sources_are_one_page_newest_first_with_a_more_button() -> None:
    from adapters.digest_pages import SOURCES_PAGE, read_sources_token

    articles = [
        ArticleRef(f"a{n}", f"Title {n} & co", f"https://x.example/{n}", "x.example", None)
        for n in range(20_000)
    ]
    (first,) = fmt.sources_messages(articles)
    text = "\n".join(o["text"] for o in _mrkdwn(first))
    assert text.startswith("*20,000 articles, newest first (1–20):*\n1. <https://x.example/0|")
    assert f"{SOURCES_PAGE}. <https://x.example/{SOURCES_PAGE - 1}|" in text
    assert f"{SOURCES_PAGE + 1}. " not in text
    button = first["blocks"][-1]
    (element,) = button["elements"]
    assert element["action_id"] == fmt.SOURCES_ACTION and element["text"]["text"] == "More articles"
    start = read_sources_token(element["value"])
    assert start == SOURCES_PAGE
    (second,) = fmt.sources_messages(articles, start)
    assert "*20,000 articles, newest first (21–40):*\n21. <https://x.example/20|" in "\n".join(
        o["text"] for o in _mrkdwn(second)
    )
    (last,) = fmt.sources_messages(articles, 19_990)
    assert last["blocks"][-1]["type"] != "actions"  # nothing more


def test_a_page_of_sources_with_huge_urls_still_fits_one_message() -> None:
    articles = [
        ArticleRef(f"a{n}", "T" * 5000, f"https://x.example/{'p' * 2000}{n}", "s" * 5000, None)
        for n in range(50)
    ]
    (message,) = fmt.sources_messages(articles)
    assert sum(fmt.block_chars(b) for b in message["blocks"]) <= fmt.MESSAGE_CHARS
    assert all(len(o["text"]) <= fmt.SECTION_CHARS for o in _mrkdwn(message))
    text = "\n".join(o["text"] for o in _mrkdwn(message))
    assert text.count("<") == text.count(">") and "1. <https://x.example/ppp" in text


def test_sources_of_an_empty_corpus() -> None:
    (message,) = fmt.sources_messages([])
    assert [o["text"] for o in _mrkdwn(message)] == ["*No articles.*"]


def test_help_renders_the_cores_commands_in_slack_syntax_escaped() -> None:
    (message,) = fmt.render(ODD_HELP)
    (block,) = message["blocks"]
    text = block["text"]["text"]
    assert text == fmt.ack_text(ODD_HELP)
    assert text.startswith("I read the newsletter &amp; answer &lt;questions&gt;.\n\n")
    assert (
        "I know 1,234 articles.\n• Ask: `/ask who bought whom?`, mention me with a query text"
        in text
    )
    assert "• /digest [today | DD.MM.]: what came out\n• /sources: the whole shelf\n" in text
    assert text.endswith("• help: this text") and "/search" not in text  # no such slash command
    assert message["text"].startswith("I read the newsletter &amp; answer")


def test_ack_text_is_a_failures_note_escaped() -> None:
    assert fmt.ack_text(Failure("Sorry: <no>")) == "Sorry: &lt;no&gt;"
