"""Question words the corpus has never seen are corrected against its words."""

from __future__ import annotations

import pytest

from bot.answer.spelling import Speller
from bot.service import TeamBot
from bot.text.tokenize import Tokenizer

WORDS = {"rynnbrain": 9, "seedance": 7, "glm-5": 5, "startup": 4, "kling": 8, "release": 3}
WORDS |= {"parameters": 6, "parameterised": 1, "specifications": 2, "specific": 1}


def speller() -> Speller:
    tokenize = Tokenizer()
    known = {t: 1 for word in WORDS for t in tokenize(word)}
    return Speller(lambda: WORDS, known, tokenize)


@pytest.mark.parametrize(
    ("typed", "fixed"),
    [
        ("how big is rynnbrian", "how big is rynnbrain"),
        ("seedence 2.0", "seedance 2.0"),
        ("glm5 license", "glm-5 license"),
        ("GLM5 license", "glm-5 license"),
        ("klingg clips", "kling clips"),
        ("rynnbrain params", "rynnbrain parameters"),  # abbreviated: the commonest word it begins
        ("kling specs", "kling specifications"),
    ],
)
def test_unknown_words_are_corrected(typed: str, fixed: str) -> None:
    correction = speller().correct(typed)
    assert correction.text == fixed and correction.changed


@pytest.mark.parametrize(
    "typed",
    [
        "when is standup",  # two edits from "startup": too far for a seven-letter word
        "kling release",  # known words are never touched
        "rynx",  # no close word, and it begins none
        "the ai",  # short and stop words are left alone
    ],
)
def test_known_short_and_distant_words_are_left_alone(typed: str) -> None:
    correction = speller().correct(typed)
    assert correction.text == typed and not correction.changed


def test_answer_says_what_was_searched_for(seeds_bot: TeamBot) -> None:
    answer = seeds_bot.ask("how many parameters does rynnbrian have")
    assert answer.searched_for == "how many parameters does rynnbrain have"
    assert answer.answered and "30-billion" in answer.text


def test_correct_spelling_is_not_reported(seeds_bot: TeamBot) -> None:
    assert seeds_bot.ask("How many parameters does RynnBrain have?").searched_for is None


def test_a_correction_that_finds_nothing_is_not_reported(seeds_bot: TeamBot) -> None:
    answer = seeds_bot.ask("whats the weather in paris?")
    assert answer.tier == "none" and answer.searched_for is None


def test_an_abbreviation_is_read_only_from_four_letters() -> None:
    words = {"parameters": 3, "seedance": 2}
    tokenize = Tokenizer()
    known = {t: 1 for word in words for t in tokenize(word)}
    spell = Speller(lambda: words, known, tokenize)
    assert spell.correct("seed parmeters").text == "seedance parameters"
    assert spell.correct("pars seedance").text == "pars seedance"  # "par" begins too much


def test_a_question_with_an_abbreviation_is_answered(seeds_bot: TeamBot) -> None:
    answer = seeds_bot.ask("how many params does rynnbrain have")
    assert answer.searched_for == "how many parameters does rynnbrain have"
    assert answer.answered and "30-billion" in answer.text
