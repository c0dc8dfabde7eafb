"""Overlap measures: the one home of the answer features' and the digest's word overlaps."""

from __future__ import annotations

import pytest

from bot.answer.question import Term
from bot.text.overlap import jaccard, missing, novelty, share

KLING = Term("kling", 3.0, frozenset())
GLM5 = Term("glm-5", 4.0, frozenset({"glm", "5"}))
MODEL = Term("model", 1.0, frozenset())
TERMS = (KLING, GLM5, MODEL)


def test_share_weighs_each_held_term_by_its_weight() -> None:
    assert share(TERMS, frozenset({"kling", "model"})) == pytest.approx(4 / 8)


def test_share_counts_a_compound_held_as_its_parts() -> None:
    assert share(TERMS, frozenset({"glm", "5"})) == pytest.approx(4 / 8)
    assert share(TERMS, frozenset({"glm"})) == 0.0


def test_share_of_no_terms_is_zero() -> None:
    assert share((), frozenset({"kling"})) == 0.0


def test_missing_is_the_heaviest_absent_term_over_the_heaviest() -> None:
    assert missing(TERMS, frozenset({"glm-5"})) == pytest.approx(3 / 4)
    assert missing(TERMS, frozenset({"kling", "model"})) == 1.0
    assert missing(TERMS, frozenset({"kling", "glm-5", "model"})) == 0.0


def test_novelty_is_the_share_of_tokens_not_known() -> None:
    assert novelty(frozenset({"kling", "makes", "clips", "fast"}), ["kling"]) == 0.75
    assert novelty(frozenset({"kling"}), ["kling", "glm-5"]) == 0.0
    assert novelty(frozenset(), ["kling"]) == 1.0


def test_jaccard_is_shared_over_all() -> None:
    assert jaccard({1, 2, 3}, {2, 3, 4}) == 0.5
    assert jaccard({1}, {1}) == 1.0
    assert jaccard({1}, {2}) == 0.0


def test_jaccard_of_two_empty_sets_is_zero() -> None:
    assert jaccard(set(), set()) == 0.0
