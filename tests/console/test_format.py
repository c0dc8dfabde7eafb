"""Console and JSON rendering are pure functions of the value objects."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

from adapters.console import format as fmt
from bot.models import Answer, ArticleRef, Citation, Digest, Hit, Passage, SearchResult, Story
from tests.adapters.help_value import ODD_HELP

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


_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
EVIL = ArticleRef(
    "e",
    "Kling\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \x1b[2J\rFAKE\x9b31m",
    "https://k.example/\x1b[2J",
    "src\x07",
    None,
)


def test_terminal_control_sequences_from_articles_never_reach_the_terminal() -> None:
    quote = "Quote \x1b[31mred\x1b[0m \u202eevil"
    answer = Answer("q", True, quote, (Citation(EVIL, quote),))
    hit = Hit(Passage(EVIL, None, "passage \x1b[2J"), 1.0)
    story = Story("Head\x1b[2Jline", "Sum\x9bmary.", ("Na\x07me",), (EVIL,))
    now = datetime(2026, 2, 14, tzinfo=UTC)
    outputs = [
        fmt.answer_text(answer),
        fmt.answer_text(Answer("q", False, "Not sure:", related=(Citation(EVIL, quote),))),
        fmt.sources_text([EVIL]),
        fmt.search_text(SearchResult("q", (hit,), 1.0)),
        fmt.digest_text(Digest(now, now, (story,)), full=1),
    ]
    for out in outputs:
        assert not _UNSAFE.search(out), repr(out)
        assert "Kling]8;;" in out or "Headline" in out
    assert "https://k.example/%1B%5B2J" in outputs[0]


def test_json_output_escapes_c1_and_bidi_controls_but_keeps_the_text() -> None:
    quote = "red\x9b31m \u202eevil"
    line = fmt.answer_json(Answer("q", True, quote, (Citation(EVIL, quote),)))
    assert not _UNSAFE.search(line)
    assert json.loads(line)["answer"] == quote


def test_only_web_urls_are_shown() -> None:
    odd = ArticleRef("o", "Odd", "javascript:alert(1)", None, None)
    out = fmt.answer_text(Answer("q", True, "x", (Citation(odd, "x"),)))
    assert "javascript" not in out and out.endswith("[1] Odd")


def test_help_text_lays_out_the_cores_commands_in_console_syntax() -> None:
    text = fmt.render(ODD_HELP, full=3)
    assert text.startswith("I read the newsletter & answer <questions>.\n\n")
    assert 'I know 1,234 articles. Type a question and press Enter, e.g. "who bought whom?"' in text
    assert "  /search PHRASE  hits for a phrase\n" in text
    assert "  /sources        the whole shelf\n" in text
    assert "  /digest [DAY]   what came out\n                  (DAY: today or DD.MM.)\n" in text
    assert text.endswith("  /help           this help\n  /quit           leave (Ctrl-D works too)")
    assert "/ask" not in text  # a question is typed as it is
