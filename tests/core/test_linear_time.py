"""Parsing takes time linear in the text: every input that once took quadratic time.

Each case grew at least 16 x faster than its input before issue 10 (200 KB of
one word per line took 28 s; 120 KB of ``[a `` over a minute). Growth is measured
by ``tests/core/growth.py``, never as a wall-clock deadline.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.corpus.loader import LoadedCorpus, load_corpus
from bot.corpus.parse import parse_article
from bot.text.clean import strip_markup, to_blocks
from bot.text.entities import named_entities
from bot.text.sentences import split_sentences
from bot.text.tokenize import Tokenizer
from tests.core.growth import assert_linear, repeat


def _parse(text: str) -> object:
    return parse_article("x", text, {})


def _load(text: str) -> LoadedCorpus:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "a.txt").write_text(text)
        return load_corpus(Path(tmp))


CASES: list[tuple[str, Callable[[str], object], Callable[[int], str]]] = [
    ("one word per line", _load, repeat("word\n")),
    ("unclosed emphasis", strip_markup, repeat("*a ")),
    ("unclosed underscores", strip_markup, repeat("_a ")),
    ("unclosed link brackets", strip_markup, repeat("[a ")),
    ("unclosed tags", strip_markup, repeat("<a ")),
    ("unclosed autolinks", strip_markup, repeat("<http://a")),
    ("unclosed images", strip_markup, repeat("![a")),
    ("image alt without a closing parenthesis", strip_markup, repeat("![a](")),
    ("link URL without a closing parenthesis", strip_markup, repeat("[a](http://a ")),
    ("sentence after sentence", split_sentences, repeat("Go. ")),
    ("abbreviation after abbreviation", split_sentences, repeat("Mr. ")),
    ("initial after initial", split_sentences, repeat("A. ")),
    ("a run of full stops", split_sentences, repeat(".")),
    ("a heading with a run of spaces", to_blocks, lambda n: "# a" + " " * n + "b"),
    ("a heading with a run of hashes", to_blocks, lambda n: "# a" + "#" * n + "b"),
    ("a source line with a run of spaces", _parse, lambda n: "T\n\n(Source: a" + " " * n + "b"),
    (
        "a dated byline with a run of spaces",
        _parse,
        lambda n: "T\n\nBy a" + " " * n + "b Jan 5, 2026",
    ),
    (
        "photo credits after a long paragraph",
        to_blocks,
        lambda n: "word " * (n // 10) + "\n" + "X | Getty Images\n" * (n // 34),
    ),
]


@pytest.mark.parametrize(("work", "make"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_parsing_grows_linearly(work: Callable[[str], object], make: Callable[[int], str]) -> None:
    assert_linear(work, make, size=8_000)


def test_names_grow_linearly() -> None:
    # A name of 32,000 edge words ("The The ...") was trimmed one pop(0) at a time:
    # quadratic, but in memmove, so only visible on longer text.
    assert_linear(named_entities, repeat("The "), size=32_000)


PROSE = "Kuaishou shipped Kling 3.0 on Feb. 4 in the U.S. with 15s clips, said Dr. Li. "


def test_one_line_article_splits_into_sentences_in_linear_time() -> None:
    # A 10 MB article on one line never finished: the text after each sentence was
    # copied to find the next word.
    assert_linear(split_sentences, repeat(PROSE), size=64_000)


def test_one_line_article_loads_in_linear_time() -> None:
    assert_linear(_load, repeat(PROSE), size=32_000)


tokenizer = Tokenizer()
MARKUP = st.sampled_from(
    list("!*_[]()<>#-.:|\\ \n\t") + ["a", "A", "http://", "Mr.", "1", "Getty Images", "source"]
)


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(unit=st.lists(MARKUP, min_size=1, max_size=6).map("".join))
def test_any_repeated_text_parses_in_linear_time(unit: str) -> None:
    for work in (_parse, split_sentences, tokenizer):
        assert_linear(work, repeat(unit), size=4_000)
