"""Story summaries a reader can follow alone, key points with sources, whole names."""

from __future__ import annotations

from datetime import timedelta

from bot.digest.summary import Report, key_points, stands_alone, summary
from bot.digest.window import recent
from bot.service import utc_now

OPENING = (
    '"We have never seen time and space awareness like this," said one researcher.',
    "It runs on a mixture-of-experts architecture with three billion active parameters.",
    "Analysts have long argued about what progress in robotics really means for anyone.",
    "Harbor Robotics unveiled Stacker 4, a warehouse robot that unloads a lorry in nine minutes.",
    "It ships to logistics firms in Rotterdam and Hamburg from June this year.",
)


def test_summary_opens_with_the_news_not_a_quote_a_pronoun_or_commentary() -> None:
    report = Report(source=1, sentences=OPENING, names=("Harbor Robotics", "Stacker 4"))
    text = summary(report, ["Harbor Robotics", "Stacker 4"])
    assert text.startswith("Harbor Robotics unveiled Stacker 4")
    # The next sentence follows on directly, so its "It" has its referent right before it.
    assert text.endswith("from June this year.")


def test_sentence_fragments_and_pronoun_openers_do_not_stand_alone() -> None:
    assert not stands_alone(OPENING[0])  # a quotation
    assert not stands_alone(OPENING[1])  # "It" refers to nothing before it
    assert not stands_alone("and then the company said it would do more of the same.")
    assert not stands_alone('Seedance 2.0 "features major upgrades in consistency and in output.')
    assert stands_alone(OPENING[3])


def test_key_points_say_what_each_name_did_with_its_source() -> None:
    reports = [
        Report(1, OPENING, ("Harbor Robotics",)),
        Report(
            2,
            (
                "Nordfrakt ordered two hundred Stacker 4 robots for its depots in Oslo and Bergen.",
                "Harbor Robotics shares rose eight percent in Amsterdam after the launch event.",
            ),
            ("Nordfrakt",),
        ),
    ]
    names = ["Harbor Robotics", "Nordfrakt", "Stacker 4"]
    said = summary(reports[0], names)
    points = key_points(reports, names, weigh=lambda s: float("robot" in s), summary=said)
    assert [(p.name, p.source) for p in points] == [("Harbor Robotics", 2), ("Nordfrakt", 2)]
    assert points[1].text.startswith("Nordfrakt ordered")
    assert all(p.text not in said for p in points)


def test_seed_stories_read_alone_with_whole_names_and_sourced_key_points(make_bot) -> None:  # type: ignore[no-untyped-def]
    bot = make_bot()
    digest = bot.digest(recent(utc_now() + timedelta(seconds=1)))
    texts = {
        a.article_id: "\n".join(bot.retriever.index.article_passages(i))
        for i, a in enumerate(bot.retriever.index.articles)
    }
    week, january = digest.stories
    for story in digest.stories:
        assert story.summary and stands_alone(story.summary.split(". ")[0] + ".")
        assert len(story.key_points) <= 5
        for point in story.key_points:
            assert point.name.lower() in point.text.lower()
            assert point.text in texts[story.articles[point.source - 1].article_id]
            assert point.text not in story.summary
    assert len(week.key_points) >= 3
    assert "Southeast Asia" in january.entities and "Southeast" not in january.entities
    assert {"RynnBrain", "Seedance 2.0", "Kling 3.0", "GLM-5"} <= set(week.entities)


def test_a_truncated_teaser_is_not_a_summary_sentence() -> None:
    assert not stands_alone(
        "Cory Booker and Tim Scott have been leading the charge to craft a bill..."
    )
    assert not stands_alone(
        "Cory Booker and Tim Scott have been leading the charge to craft a bill…"
    )
