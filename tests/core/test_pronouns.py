"""One list of the words that point back, read by the answer features and the digest."""

from __future__ import annotations

import pytest

from bot.answer.features import points_back
from bot.digest.summary import stands_alone
from bot.text.pronouns import POINTING_BACK, opens_pointing_back

TAIL = "shipped a new video model to every paying customer last week."


@pytest.mark.parametrize("word", sorted(POINTING_BACK))
def test_a_sentence_opening_with_a_pointing_word_points_back_for_answers_and_digests(
    word: str,
) -> None:
    sentence = f"{word.capitalize()} {TAIL}"
    assert points_back(sentence) and opens_pointing_back(sentence.upper())
    assert not stands_alone(sentence)


@pytest.mark.parametrize("opening", ["Items", "Thesis", "Kling", "We", "You", "I", '"It'])
def test_other_openings_do_not_point_back(opening: str) -> None:
    sentence = f"{opening} {TAIL}"
    assert not points_back(sentence)
    if opening != '"It':  # the digest reads the first word past a quote mark
        assert stands_alone(sentence)


def test_the_list_is_the_closed_class_whole() -> None:
    assert {
        "he",
        "him",
        "she",
        "her",
        "it",
        "they",
        "them",
        "this",
        "those",
        "both",
    } <= POINTING_BACK
    assert not {"i", "we", "you", "me", "us"} & POINTING_BACK
