"""The digest on the seeds: which articles form one story, headlines, summaries, dates."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.digest.window import recent, whole_days
from bot.service import TeamBot, utc_now

UTC_ZONE = ZoneInfo("UTC")


def _ids(bot: TeamBot, **window: date) -> list[list[str]]:
    digest = bot.digest(whole_days(window["first"], window["last"], UTC_ZONE))
    return [sorted(a.article_id[:3] for a in s.articles) for s in digest.stories]


def test_seeds_group_into_the_spring_festival_week_and_the_january_story(make_bot) -> None:  # type: ignore[no-untyped-def]
    digest = make_bot().digest(recent(utc_now() + timedelta(seconds=1)))
    assert [sorted(a.article_id[:3] for a in s.articles) for s in digest.stories] == [
        ["000", "001", "002", "003"],
        ["004"],
    ]
    week, january = digest.stories
    assert week.headline.startswith("It's been a big — but rocky — week for AI models from China")
    assert january.headline == "Chinese AI Surge: New Models from Alibaba to Moonshot in 2026"
    for name in ("RynnBrain", "Seedance 2.0", "Kling 3.0", "GLM-5", "ByteDance", "Alibaba"):
        assert name in week.entities
    assert "DeepSeek" in january.entities and "Kimi" in january.entities
    assert "Rapid" not in january.entities


def test_story_summary_is_one_to_three_sentences_from_its_articles(make_bot) -> None:  # type: ignore[no-untyped-def]
    bot = make_bot()
    digest = bot.digest(recent(utc_now() + timedelta(seconds=1)))
    texts = {
        a.article_id: "\n".join(bot.retriever.index.article_passages(i))
        for i, a in enumerate(bot.retriever.index.articles)
    }  # noqa: SLF001
    for story in digest.stories:
        sentences = [s for s in story.summary.split(". ") if s]
        assert 1 <= len(sentences) <= 6  # up to three sentences, some with inner ". "
        pieces = story.summary.split(" ")
        assert len(pieces) <= 3 * 60
        ids = {a.article_id for a in story.articles}
        assert any(story.summary[:60] in texts[i] for i in ids)


def test_story_sources_carry_title_link_source_and_date(make_bot) -> None:  # type: ignore[no-untyped-def]
    digest = make_bot().digest(recent(utc_now() + timedelta(seconds=1)))
    refs = {a.article_id[:3]: a for s in digest.stories for a in s.articles}
    assert refs["000"].url and refs["000"].url.startswith("https://www.cnbc.com/")
    assert (refs["002"].source, refs["002"].published) == (
        "The Bit Baker newsletter",
        date(2026, 2, 14),
    )
    assert refs["004"].published == date(2026, 1, 28)
    assert refs["003"].source == "longbridge.com"


def test_date_window_selects_by_published_date(make_bot) -> None:  # type: ignore[no-untyped-def]
    bot = make_bot()
    assert _ids(bot, first=date(2026, 2, 14), last=date(2026, 2, 14)) == [["000", "002"]]
    assert _ids(bot, first=date(2026, 1, 28), last=date(2026, 1, 28)) == [["004"]]
    assert _ids(bot, first=date(2025, 1, 1), last=date(2025, 12, 31)) == []
    # Undated articles fall on the day teambot first saw them.
    today = utc_now().date()
    assert sorted(sum(_ids(bot, first=today, last=today), [])) == ["001", "003"]


def test_unrelated_articles_stay_apart_and_a_rewritten_copy_joins(make_bot, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    (corpus / "pasta.md").write_text(
        "Pasta Night\n\nThe chef boiled spaghetti for ten minutes and served it with basil, "
        "garlic and olive oil. Guests praised the sauce and asked for the recipe.\n"
    )
    original = (corpus / "004_65f817fc9bc1bc5b.txt").read_text(encoding="utf-8")
    rewrite = original.replace("Chinese AI Surge", "China's AI Surge", 1).replace(
        "firing on all cylinders", "moving at full speed", 1
    )
    (corpus / "surge-copy.md").write_text(rewrite, encoding="utf-8")
    stories = make_bot().digest(recent(utc_now() + timedelta(seconds=1))).stories
    groups = [sorted(a.article_id for a in s.articles) for s in stories]
    assert ["pasta"] in groups
    assert ["004_65f817fc9bc1bc5b", "surge-copy"] in groups
    assert len(stories[0].articles) >= len(stories[-1].articles)


def test_empty_window_is_an_empty_digest(make_bot) -> None:  # type: ignore[no-untyped-def]
    digest = make_bot().digest(whole_days(date(2020, 1, 1), date(2020, 1, 2), UTC_ZONE))
    assert digest.empty and digest.stories == ()
