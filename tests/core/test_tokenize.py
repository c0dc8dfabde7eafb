"""Tokenization keeps AI model names, versions and numbers findable."""

from __future__ import annotations

import pytest

from bot.text.tokenize import Tokenizer

tok = Tokenizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GLM-5", ["glm-5", "glm", "5"]),
        ("M2.5", ["m2.5"]),
        ("Kling 3.0", ["kling", "3.0"]),
        ("Qwen-Image 2.0", ["qwen-image", "qwen", "imag", "2.0"]),
        ("30-billion-parameter", ["30-billion-parameter", "30", "billion", "paramet"]),
        ("15s", ["15s", "15"]),
        ("Spark X2", ["spark", "x2"]),
        ("100,000 chips", ["100000", "chip"]),
    ],
)
def test_tokenizer_keeps_model_names_and_versions(text: str, expected: list[str]) -> None:
    assert tok(text) == expected


def test_tokenizer_is_case_insensitive_and_stems() -> None:
    assert tok("Launched LAUNCHES launch") == ["launch", "launch", "launch"]


def test_tokenizer_drops_stopwords_including_question_words() -> None:
    assert tok("How many parameters does it have?") == ["paramet"]
    assert tok("Who is the CEO? What, when, where, why?") == ["ceo"]


def test_tokenizer_strips_possessives() -> None:
    assert tok("Alibaba's RynnBrain") == tok("Alibaba RynnBrain") == ["alibaba", "rynnbrain"]
    assert tok("Kuaishou’s shares") == ["kuaishou", "share"]


def test_tokenizer_maps_irregular_verbs_to_their_base() -> None:
    assert tok("output grew") == tok("output grow")
    assert tok("shares rose") == tok("shares rise")


def test_query_and_document_forms_meet() -> None:
    doc = set(tok("extended video duration up to 15s"))
    assert "15" in doc and "15s" in doc
    assert set(tok("GLM 5")) <= set(tok("released GLM-5, an open model"))


def test_groups_keep_compound_parts_together() -> None:
    assert tok.groups("GLM-5 parameters") == [("glm-5", "glm", "5"), ("paramet",)]
