"""The layout every adapter shares: top stories in full, one line for the rest."""

from __future__ import annotations

from datetime import UTC, date, datetime

from adapters import digest_layout as layout
from bot.digest.window import between
from bot.models import ArticleRef, Digest, KeyPoint, Story
from tests.big_digest import big_digest, big_story

NOW = datetime(2026, 2, 14, 8, tzinfo=UTC)


def test_first_stories_are_full_then_one_line_each() -> None:
    digest = big_digest(between(NOW, NOW), stories=5)
    items = list(layout.items(digest, full=2))
    assert [type(i).__name__ for i in items] == ["FullStory"] * 2 + ["BriefStory"] * 3
    assert [i.number for i in items] == [1, 2, 3, 4, 5]
    assert items[2].text().startswith("3. Story 3 — a long headline")
    assert items[2].text().endswith("(30 sources)")


def test_items_continue_from_a_start_with_the_digest_numbering() -> None:
    digest = big_digest(between(NOW, NOW), stories=12)
    items = list(layout.items(digest, full=10, start=8))
    assert [(type(i).__name__, i.number) for i in items] == [
        ("FullStory", 9),
        ("FullStory", 10),
        ("BriefStory", 11),
        ("BriefStory", 12),
    ]


def test_full_story_lists_ten_sources_and_every_cited_one() -> None:
    item = layout.full_story(1, big_story(1))
    assert [p.source for p in item.key_points] == [1, 2, 17, 30, 5]  # five of six
    assert [n for n, _ in item.sources] == [*range(1, 11), 17, 30]
    assert item.unlisted == 30 - 12
    assert item.sources[-1][1].article_id == "s1-a30"  # numbered by position in the story


def test_key_points_citing_no_source_are_dropped() -> None:
    ref = ArticleRef("a", "A", None, None, date(2026, 2, 14))
    story = Story("H", "S", (), (ref,), (KeyPoint("X", "X did it.", 2), KeyPoint("Y", "Y did.", 1)))
    assert [p.name for p in layout.key_points(story)] == ["Y"]


def test_closing_lines() -> None:
    assert layout.more_stories(1) == "…and 1 more story."
    assert layout.more_stories(480) == "…and 480 more stories."
    assert layout.unlisted_sources(2) == "…and 2 more sources"


def test_zero_full_stories_gives_only_one_liners() -> None:
    digest = Digest(NOW, NOW, (big_story(1),))
    assert [type(i).__name__ for i in layout.items(digest, full=0)] == ["BriefStory"]
