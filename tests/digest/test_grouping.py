"""Story grouping on articles written for each behaviour: copies, time, names, chaining."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from bot.digest.linkage import average_linkage
from bot.digest.neardup import near_duplicate_groups
from bot.digest.profiles import DigestArticle
from bot.digest.stories import build_stories
from bot.models import ArticleRef
from bot.text.tokenize import Tokenizer

TOKENIZE = Tokenizer()
SEEN = datetime(2026, 3, 9, 8, tzinfo=UTC)

REPORT = (
    "Harbor Robotics said on Tuesday that its warehouse robot Stacker 4 can now unload "
    "a lorry in nine minutes, half the time of the earlier model. The company will "
    "ship the robot to logistics firms in Rotterdam and Hamburg from June, and said "
    "orders from {buyer} had doubled since the prototype was shown in January. Chief "
    "executive Mara Olsen said the gripper redesign cut breakages by a third."
)
OTHER_EVENTS = [
    "The city council of Lyon approved a new tram line through the old town after two "
    "years of debate, with construction starting next spring and a budget of 400 million euros.",
    "Researchers in Kyoto grew rice that tolerates salt water, a trait they found in a wild "
    "grass from the coast; field trials in flooded paddies begin next season.",
    "A storm closed the port of Valparaiso for three days, stranding forty container ships "
    "and delaying copper exports that account for half of Chile's trade.",
    "The national orchestra of Ghana toured Brazil for the first time, playing twelve "
    "concerts that mixed highlife rhythms with samba to sold-out halls.",
    "A chess engine written by two students in Tallinn beat the reigning champion program "
    "in a hundred-game match, winning on endgame technique.",
]


def _article(
    key: str, text: str, *, day: date = date(2026, 3, 9), title: str = ""
) -> DigestArticle:
    ref = ArticleRef(
        article_id=key,
        title=title or text.split(",")[0][:60],
        url=None,
        source=None,
        published=day,
    )
    return DigestArticle(ref, tuple(p for p in text.split("\n\n")), SEEN)


def _idf(articles: list[DigestArticle]) -> Callable[[str], float]:
    """Term weights as the search index computes them, over these articles alone."""
    df = Counter(t for a in articles for t in set(TOKENIZE(a.ref.title + " " + a.passages[0])))
    return lambda term: math.log(1 + (len(articles) - df[term] + 0.5) / (df[term] + 0.5))


def _groups(articles: list[DigestArticle]) -> list[list[str]]:
    stories = build_stories(articles, TOKENIZE, _idf(articles))
    return sorted(sorted(a.article_id for a in s.articles) for s in stories)


def test_120_near_copies_of_one_report_are_one_story() -> None:
    copies = [_article(f"copy{n:03d}", REPORT.format(buyer=f"Buyer{n}")) for n in range(120)]
    others = [_article(f"other{n}", text) for n, text in enumerate(OTHER_EVENTS)]
    groups = _groups(copies + others)
    assert sorted(a.ref.article_id for a in copies) in groups
    assert len(groups) == 1 + len(OTHER_EVENTS)


def test_light_rewrite_is_a_near_duplicate_and_another_event_is_not() -> None:
    rewrite = REPORT.format(buyer="Nordfrakt").replace("on Tuesday", "late on Tuesday")
    rewrite = rewrite.replace("cut breakages by a third", "reduced breakages by a third")
    groups = near_duplicate_groups([REPORT.format(buyer="Nordfrakt"), rewrite, *OTHER_EVENTS])
    assert [0, 1] in groups and len(groups) == 1 + len(OTHER_EVENTS)


def test_one_topic_weeks_apart_splits_into_its_events() -> None:
    def claims(week: int, count: str, change: str) -> str:
        return (
            f"Weekly jobless claims {change} to {count} in the week to Saturday, the Labor "
            "Department said on Thursday, as employers kept workers despite higher borrowing "
            "costs and slower hiring in manufacturing and retail."
        )

    first = [
        _article(f"w1-{n}", claims(1, "215,000", "fell"), day=date(2026, 3, 5)) for n in range(2)
    ]
    later = [
        _article(f"w3-{n}", claims(3, "231,000", "rose"), day=date(2026, 3, 19)) for n in range(2)
    ]
    # Two reports of each release, in slightly different words.
    first[1] = _article("w1-1", claims(1, "215,000", "dropped"), day=date(2026, 3, 6))
    later[1] = _article("w3-1", claims(3, "231,000", "climbed"), day=date(2026, 3, 19))
    assert _groups(first + later) == [["w1-0", "w1-1"], ["w3-0", "w3-1"]]


def test_names_every_article_carries_do_not_link_different_events() -> None:
    events = [
        "Pfizer and BioNTech said the COVID-19 booster cut hospital visits among people over 65 "
        "by half in a trial in Israel, and asked regulators to approve it for adults.",
        "Schools in Ohio reopened after a COVID-19 outbreak closed them for a week; the district "
        "said masks stay optional and BioNTech shots will be offered in gyms.",
        "Shares of cruise lines rose as Carnival resumed sailing from Miami with crews vaccinated "
        "against COVID-19 with BioNTech doses and passengers tested before boarding.",
        "A study from Oxford found that COVID-19 patients who lost their sense of smell mostly "
        "regained it within a year; BioNTech was not involved in the research.",
    ]
    groups = _groups([_article(f"e{n}", text) for n, text in enumerate(events)])
    assert groups == [["e0"], ["e1"], ["e2"], ["e3"]]


def test_average_linkage_does_not_chain_through_one_close_pair() -> None:
    # a~b and b~c are close, a and c unrelated: the mean over {a,b} x {c} is low.
    assert average_linkage(3, [(0, 1, 0.95), (1, 2, 0.9)], threshold=0.5) == [[0, 1], [2]]
    assert average_linkage(3, [(0, 1, 0.95), (1, 2, 0.9), (0, 2, 0.7)], 0.5) == [[0, 1, 2]]
    assert average_linkage(2, [], 0.5) == [[0], [1]]


def test_every_article_is_in_exactly_one_story() -> None:
    articles = [_article(f"copy{n}", REPORT.format(buyer=f"B{n}")) for n in range(3)]
    articles += [
        _article(f"other{n}", t, day=date(2026, 3, 1) + timedelta(days=n))
        for n, t in enumerate(OTHER_EVENTS)
    ]
    ids = [key for group in _groups(articles) for key in group]
    assert sorted(ids) == sorted(a.ref.article_id for a in articles)


def test_names_stay_whole_and_drop_titles_and_fragments() -> None:
    from bot.text.entities import named_entities

    text = (
        "Officials said the Bureau of Labor Statistics would report on Friday. Later, "
        "former President Donald J. Trump met Gov. Ron DeSantis in Southeast Asia, where "
        "Hugging Face and Kling 3.0 were discussed. Then Gov. Ron DeSantis left for Southeast Asia."
    )
    names = named_entities(text, limit=20)
    for whole in ("Bureau of Labor Statistics", "Ron DeSantis", "Southeast Asia", "Hugging Face"):
        assert whole in names
    assert "Kling 3.0" in names and "President Donald J. Trump" in names
    assert not {"Gov", "Southeast", "Asia", "Labor Statistics", "Kling"} & set(names)
