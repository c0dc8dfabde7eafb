"""Slack digest rendering: stories in full then one line each, within Slack's limits,
and a "More stories" button when the messages run out. Pure functions."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from adapters.digest_pages import page_token, read_page
from adapters.slack import digest_format as df
from adapters.slack.format import CONTEXT_ELEMENTS, MESSAGE_BLOCKS, MESSAGE_CHARS, SECTION_CHARS
from adapters.slack.format import block_chars as fmt_block_chars
from bot.digest.window import between
from bot.models import Digest
from tests.big_digest import big_digest

NOW = datetime(2026, 2, 14, 8, tzinfo=UTC)
BIG = big_digest(between(NOW, NOW))
HUGE = big_digest(between(NOW, NOW), stories=1000)  # the day: ~1,900 articles


def texts(message: dict[str, Any]) -> str:
    parts = []
    for block in message["blocks"]:
        if block.get("text"):
            parts.append(block["text"]["text"])
        parts += [e["text"] for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    return "\n".join(parts)


def story_numbers(messages: list[dict[str, Any]]) -> list[int]:
    """The numbers of the stories shown, in order (in full: "*12. Story"; one line: "12. Story")."""
    text = "\n".join(texts(m) for m in messages)
    return [int(n) for n in re.findall(r"(?m)^\*?(\d+)\. Story \d+", text)]


def assert_within_slack_limits(messages: list[dict[str, Any]]) -> None:
    for message in messages:
        assert message["text"] and len(message["blocks"]) <= MESSAGE_BLOCKS
        assert sum(fmt_block_chars(b) for b in message["blocks"]) <= MESSAGE_CHARS
        for block in message["blocks"]:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= SECTION_CHARS
            if block["type"] == "context":
                assert len(block["elements"]) <= CONTEXT_ELEMENTS


def test_huge_digest_stops_at_the_cap_with_a_more_button() -> None:
    messages = df.digest_messages(HUGE, full=10)
    assert len(messages) == df.POST_MESSAGES
    assert_within_slack_limits(messages)
    shown = story_numbers(messages)
    assert shown == list(range(1, len(shown) + 1)) and 10 < len(shown) < 1000
    full = [b for m in messages for b in m["blocks"] if b["type"] == "divider"]
    assert len(full) == 10  # a divider opens each story in full
    closing, button = messages[-1]["blocks"][-2:]
    assert closing["text"]["text"] == f"…and {1000 - len(shown)} more stories."
    (element,) = button["elements"]
    assert element["action_id"] == df.MORE_ACTION
    assert element["value"] == page_token(HUGE, len(shown))
    assert read_page(element["value"], UTC).start == len(shown)


def test_every_story_of_a_big_digest_fits_within_the_post_cap() -> None:
    messages = df.digest_messages(BIG, full=10)
    assert df.RESPONSE_URL_MESSAGES < len(messages) <= df.POST_MESSAGES
    assert story_numbers(messages) == list(range(1, 201))
    assert "more stories" not in texts(messages[-1])


def test_response_url_budget_of_five_messages_holds() -> None:
    messages = df.digest_messages(BIG, full=50, limit=df.RESPONSE_URL_MESSAGES)
    assert len(messages) == df.RESPONSE_URL_MESSAGES
    assert_within_slack_limits(messages)
    assert messages[-1]["blocks"][-1]["type"] == "actions"


def test_a_page_continues_with_the_digest_numbering() -> None:
    messages = df.digest_messages(BIG, full=10, start=150, limit=5)
    assert (
        messages[0]["blocks"][0]["text"]["text"] == "*Digest since 2026-02-14 08:00 UTC, continued*"
    )
    assert story_numbers(messages) == list(range(151, 201))  # the rest fits: no button
    assert all(b["type"] != "actions" for m in messages for b in m["blocks"])


def test_key_points_render_with_their_source_numbers() -> None:
    (message,) = df.digest_messages(big_digest(between(NOW, NOW), stories=1), full=1)
    blocks = message["blocks"]
    points = blocks[3]["text"]["text"].split("\n")
    assert points[0] == "• Product1 of story 1 shipped release 1 &lt;today&gt;. [1]"
    assert [p.rsplit(" ", 1)[1] for p in points] == ["[1]", "[2]", "[17]", "[30]", "[5]"]
    sources = [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]
    assert sources[0].startswith("Names: Name0")
    assert sources[11].startswith("[17] <https://news3.example/2026/02/14/story-1-article-17|")
    assert sources[12].startswith("[30] <") and sources[13] == "…and 18 more sources"


def test_zero_full_stories_and_an_empty_digest() -> None:
    small = big_digest(between(NOW, NOW), stories=3)
    (message,) = df.digest_messages(small, full=0)
    assert texts(message).split("\n")[1:] == [
        f"{n}. Story {n} — {'a long headline ' * 6}".strip() + " (30 sources)" for n in (1, 2, 3)
    ]
    (empty,) = df.digest_messages(Digest(NOW, NOW, ()), full=10)
    assert empty["text"] == "Nothing new since 2026-02-14 08:00 UTC."
