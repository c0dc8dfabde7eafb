"""Sentence splitting, cleaning, dates and names."""

from __future__ import annotations

from datetime import date

from bot.text.clean import strip_markup, to_blocks
from bot.text.dates import find_date, parse_date
from bot.text.entities import named_entities
from bot.text.sentences import split_sentences


def test_split_sentences_respects_abbreviations_and_versions() -> None:
    text = "Kling 3.0 launched on Jan. 5 in the U.S. market. It makes 15s clips! Dr. Li agreed."
    assert split_sentences(text) == [
        "Kling 3.0 launched on Jan. 5 in the U.S. market.",
        "It makes 15s clips!",
        "Dr. Li agreed.",
    ]


def test_split_sentences_ends_at_abbreviation_before_a_sentence_opener() -> None:
    text = "They keep up with those in the U.S. It comes after a warning."
    assert split_sentences(text) == [
        "They keep up with those in the U.S.",
        "It comes after a warning.",
    ]


def test_split_sentences_starts_at_camel_cased_word() -> None:
    assert split_sentences("Rates fell. iFlytek's Spark X2 rose.") == [
        "Rates fell.",
        "iFlytek's Spark X2 rose.",
    ]


def test_strip_markup_keeps_link_text_and_collects_urls() -> None:
    links: list[str] = []
    out = strip_markup("See [Alibaba](https://x.com/a) and **bold** \\[sic\\] ![img](i.png)", links)
    assert out == "See Alibaba and bold [sic]"
    assert links == ["https://x.com/a"]


def test_to_blocks_drops_page_furniture_and_photo_captions() -> None:
    body = "\n\n".join(
        [
            "A stand at the expo on July 5, 2024.",
            "Nurphoto | Nurphoto | Getty Images",
            "## Heading Here",
            "Real paragraph about Kling.",
            "![chart](https://img/x.png)",
            "watch now",
            "6 min read",
            "(Word count: approximately 3200)",
            "?>",
        ]
    )
    blocks = to_blocks(body)
    assert [(b.text, b.is_heading) for b in blocks] == [
        ("Heading Here", True),
        ("Real paragraph about Kling.", False),
    ]


def test_to_blocks_joins_hard_wrapped_lines() -> None:
    blocks = to_blocks("The model was released\nthis week by Alibaba.\nNext paragraph.")
    assert [b.text for b in blocks] == [
        "The model was released this week by Alibaba.",
        "Next paragraph.",
    ]


def test_to_blocks_detects_title_case_headings_but_not_attributions() -> None:
    blocks = to_blocks(
        "The Video Generation Race Heats Up\nBody text here.\nTech industry observer"
    )
    assert [b.is_heading for b in blocks] == [True, False, False]


def test_dates_in_prose_and_iso() -> None:
    assert find_date("From The Bit Baker newsletter — February 14, 2026")[0] == date(2026, 2, 14)  # type: ignore[index]
    assert parse_date("Jan 28, 2026") == date(2026, 1, 28)
    assert parse_date("2026-02-14T06:47:34.000Z") == date(2026, 2, 14)
    assert parse_date("14 February 2026") == date(2026, 2, 14)
    assert parse_date("February 30, 2026") is None
    assert parse_date("soon") is None


def test_named_entities_prefer_products_and_skip_sentence_starters() -> None:
    text = "Meanwhile, Alibaba shipped RynnBrain. Meanwhile RynnBrain beat Google and Alibaba."
    names = named_entities(text)
    assert names[0] == "RynnBrain"
    assert "Meanwhile" not in names
