"""Discord digest rendering: stories in full then one line each, within Discord's
limits, and the page for a "More stories" button when the messages run out."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from adapters.digest_pages import page_token
from adapters.discord import digest_format as df
from adapters.discord import format as fmt
from bot.digest.window import between
from bot.models import ArticleRef, Digest, Story
from tests.big_digest import big_digest

NOW = datetime(2026, 2, 14, 8, tzinfo=UTC)
HUGE = big_digest(between(NOW, NOW), stories=1000)


def text(replies: list[fmt.Reply]) -> str:
    parts = []
    for reply in replies:
        parts.append(reply.content)
        for embed in reply.embeds:
            parts += [embed.get("title", ""), embed.get("description", "")]
    return "\n".join(parts)


def story_numbers(replies: list[fmt.Reply]) -> list[int]:
    return [int(n) for n in re.findall(r"(?m)^(\d+)\. Story \d+", text(replies))]


def assert_within_discord_limits(replies: list[fmt.Reply]) -> None:
    for reply in replies:
        assert len(reply.content) <= fmt.CONTENT_CHARS
        assert len(reply.embeds) <= fmt.MESSAGE_EMBEDS
        assert sum(fmt.embed_size(e) for e in reply.embeds) <= fmt.MESSAGE_EMBED_CHARS
        for embed in reply.embeds:
            assert len(embed.get("title", "")) <= fmt.TITLE_CHARS
            assert len(embed.get("description", "")) <= fmt.DESCRIPTION_CHARS
            assert len(embed.get("fields", [])) <= fmt.EMBED_FIELDS
            for item in embed.get("fields", []):
                assert len(item["name"]) <= fmt.FIELD_NAME_CHARS
                assert len(item["value"]) <= fmt.FIELD_VALUE_CHARS


def test_huge_digest_stops_at_the_cap_with_the_next_page() -> None:
    replies = df.digest_replies(HUGE, full=10)
    assert len(replies) == df.MESSAGES
    assert_within_discord_limits(replies)
    assert replies[0].content == "**Digest since 2026-02-14 08:00 UTC: 1000 stories**"
    shown = story_numbers(replies)
    assert shown == list(range(1, len(shown) + 1)) and 10 < len(shown) < 1000
    titled = [e["title"] for r in replies for e in r.embeds if "title" in e]
    assert [t.split(".")[0] for t in titled] == [str(n) for n in range(1, 11)]  # ten in full
    assert replies[-1].content.endswith(f"…and {1000 - len(shown)} more stories.")
    assert replies[-1].more == page_token(HUGE, len(shown))
    assert all(r.more is None for r in replies[:-1])


def test_a_page_continues_with_the_digest_numbering() -> None:
    replies = df.digest_replies(HUGE, full=10, start=990)
    assert replies[0].content == "**Digest since 2026-02-14 08:00 UTC, continued**"
    assert story_numbers(replies) == list(range(991, 1001))
    assert replies[-1].more is None and "more stories" not in replies[-1].content


def test_key_points_render_with_their_source_numbers() -> None:
    (reply,) = df.digest_replies(big_digest(between(NOW, NOW), stories=1), full=1)
    (embed,) = reply.embeds
    points = embed["description"].split("\n\n")[1].split("\n")
    assert points[0] == "• Product1 of story 1 shipped release 1 <\u200btoday>. [1]"
    assert [p.rsplit(" ", 1)[1] for p in points] == ["[1]", "[2]", "[17]", "[30]", "[5]"]
    names = [f["name"] for f in embed["fields"]]
    assert names == ["Names", *(f"[{n}]" for n in range(1, 11)), "[17]", "[30]", "More sources"]
    seventeen = embed["fields"][names.index("[17]")]["value"]
    assert seventeen.startswith("[Article 17 about story 1")
    assert embed["fields"][-1]["value"] == "…and 18 more sources"


def test_limits_hold_for_stories_of_extreme_size() -> None:
    refs = tuple(ArticleRef(str(i), "T" * 300, None, "s", None) for i in range(40))
    stories = tuple(Story("H" * 400, "word " * 2000, ("A",) * 50, refs) for _ in range(12))
    replies = df.digest_replies(Digest(NOW, NOW, stories), full=12)
    assert 1 < len(replies) <= df.MESSAGES
    assert_within_discord_limits(replies)
    titles = [e["title"] for r in replies for e in r.embeds if "title" in e]
    assert [t.split(".")[0] for t in titles] == [str(n) for n in range(1, len(titles) + 1)]


def test_zero_full_stories_and_an_empty_digest() -> None:
    small = big_digest(between(NOW, NOW), stories=3)
    (reply,) = df.digest_replies(small, full=0)
    (embed,) = reply.embeds
    assert "title" not in embed and embed["description"].count("(30 sources)") == 3
    (empty,) = df.digest_replies(Digest(NOW, NOW, ()), full=10)
    assert empty.content == "Nothing new since 2026-02-14 08:00 UTC." and empty.more is None


def test_digest_embed_titles_are_escaped() -> None:
    ref = ArticleRef("a", "A", "https://x.example/a", None, None)
    story = Story("Kling **9** @everyone [win](https://evil.example)", "S.", (), (ref,))
    digest = Digest(NOW, NOW, (story,))
    (reply,) = df.digest_replies(digest, full=1)
    title = reply.embeds[0]["title"]
    assert title.startswith("1. Kling \\*\\*9\\*\\* @\u200beveryone \\[win\\]")
    assert "https://" not in title
