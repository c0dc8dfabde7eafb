"""Month names: the one list the date parser, sentence splitter, name finder and
question types share."""

from __future__ import annotations

import re
from datetime import date

from bot.text.dates import MONTH_ABBREVIATIONS, MONTH_NAMES, MONTH_PATTERN, MONTHS, parse_date
from bot.text.entities import named_entities
from bot.text.sentences import split_sentences


def test_months_map_every_spelling_to_its_number() -> None:
    assert MONTHS["january"] == MONTHS["jan"] == 1
    assert MONTHS["may"] == 5
    assert MONTHS["sep"] == MONTHS["sept"] == MONTHS["september"] == 9
    assert sorted(set(MONTHS.values())) == list(range(1, 13))


def test_may_is_a_month_name_and_never_an_abbreviation() -> None:
    assert len(MONTH_NAMES) == 12 and "may" in MONTH_NAMES
    assert "may" not in MONTH_ABBREVIATIONS
    assert {"jan", "sept", "dec"} <= MONTH_ABBREVIATIONS


def test_month_pattern_matches_whole_words_only() -> None:
    pattern = re.compile(MONTH_PATTERN, re.I)
    assert [m.group() for m in pattern.finditer("Sept. 5 and 3 March, not declines or Marvel")] == [
        "Sept",
        "March",
    ]


def test_parse_date_reads_an_abbreviation_with_a_stop() -> None:
    assert parse_date("Sept. 5, 2025") == date(2025, 9, 5)
    assert parse_date("5 Dec 2025") == date(2025, 12, 5)


def test_sentence_does_not_end_at_a_month_abbreviation() -> None:
    assert split_sentences("It shipped on Jan. 28 in Beijing. Sales rose.") == [
        "It shipped on Jan. 28 in Beijing.",
        "Sales rose.",
    ]


def test_a_sentence_ending_in_may_still_ends_there() -> None:
    text = "The model ships in May. The price is unknown."
    assert split_sentences(text) == ["The model ships in May.", "The price is unknown."]


def test_month_names_are_trimmed_off_names() -> None:
    text = "In a post, Alibaba said on Monday that January Qwen sales grew. We met Qwen there."
    assert named_entities(text) == ["Qwen", "Alibaba"]
