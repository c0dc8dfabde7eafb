"""Console and JSON rendering are pure functions of the value objects."""

from __future__ import annotations

import json
from datetime import date

from adapters.console import format as fmt
from bot.models import Answer, ArticleRef, Citation, Hit, Passage, SearchResult

REF = ArticleRef("a1", "Kling Ships", "https://k.example/1", "k.example", date(2026, 2, 7))
BARE = ArticleRef("b2", "Untitled Notes", None, None, None)


def test_answer_text_numbers_sources_and_shows_urls() -> None:
    answer = Answer(
        "q",
        True,
        "One. Two.",
        (Citation(REF, "One."), Citation(BARE, "Two.")),
    )
    assert fmt.answer_text(answer) == (
        "One. [1] Two. [2]\n\nSources:\n"
        "  [1] Kling Ships (k.example, 2026-02-07)\n      https://k.example/1\n"
        "  [2] Untitled Notes"
    )


def test_answer_json_nulls_for_unknown_metadata() -> None:
    obj = json.loads(fmt.answer_json(Answer("q", True, "Two.", (Citation(BARE, "Two."),))))
    assert obj["citations"] == [
        {
            "article_id": "b2",
            "title": "Untitled Notes",
            "url": None,
            "source": None,
            "published": None,
            "quote": "Two.",
        }
    ]


def test_not_sure_tier_quotes_passages_with_sources() -> None:
    answer = Answer(
        "q",
        False,
        "I couldn't find a direct answer; the closest passages are:",
        related=(Citation(REF, "Kling makes clips."), Citation(BARE, "Notes.")),
        confidence=0.2,
        searched_for="kling clips",
    )
    assert fmt.answer_text(answer) == (
        "(searched for: kling clips)\n\n"
        "I couldn't find a direct answer; the closest passages are:\n\n"
        '  > "Kling makes clips."\n'
        "    — Kling Ships (k.example, 2026-02-07)\n"
        "      https://k.example/1\n\n"
        '  > "Notes."\n'
        "    — Untitled Notes"
    )


def test_answer_json_has_confidence_related_and_searched_for() -> None:
    answer = Answer("q", False, "x", related=(Citation(REF, "Kling."),), confidence=0.41234)
    obj = json.loads(fmt.answer_json(answer))
    assert obj["confidence"] == 0.4123
    assert obj["related"] == [
        {
            "article_id": "a1",
            "title": "Kling Ships",
            "url": "https://k.example/1",
            "quote": "Kling.",
        }
    ]
    assert obj["searched_for"] is None


def test_search_text_shortens_long_passages() -> None:
    hit = Hit(Passage(REF, None, "word " * 400), 3.14159)
    out = fmt.search_text(SearchResult("kling", (hit,), 1.5))
    assert out.startswith("1. Kling Ships (k.example, 2026-02-07)  (score 3.14)")
    assert out.endswith("…") and len(out) < 500


def test_search_text_with_no_hits() -> None:
    assert fmt.search_text(SearchResult("zzz", (), 0.1)) == "No articles match 'zzz'."


def test_search_json_rounds_and_keeps_order() -> None:
    hits = (Hit(Passage(REF, "H", "p1"), 2.123456), Hit(Passage(BARE, None, "p2"), 1.0))
    obj = json.loads(fmt.search_json(SearchResult("q", hits, 0.123456)))
    assert obj == {
        "query": "q",
        "took_ms": 0.123,
        "hits": [
            {
                "article_id": "a1",
                "title": "Kling Ships",
                "url": "https://k.example/1",
                "score": 2.1235,
                "passage": "p1",
            },
            {
                "article_id": "b2",
                "title": "Untitled Notes",
                "url": None,
                "score": 1.0,
                "passage": "p2",
            },
        ],
    }


def test_plural_keeps_a_vowel_y() -> None:
    from adapters.wording import plural

    assert [plural(1, "story"), plural(2, "story"), plural(2, "day"), plural(3, "key")] == [
        "1 story",
        "2 stories",
        "2 days",
        "3 keys",
    ]
