"""The loader's and cleaner's shortcuts decide exactly what their patterns decided.

Each reference below is the code as it was before the shortcut (issue 11): the
sentence-boundary pattern with its look-behind first, the furniture and
photo-credit patterns tried on every line, runs of spaces always collapsed by
the regular expression, and a paragraph's key always split and joined again.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.corpus.loader import load_corpus
from bot.corpus.parse import _paragraph_key
from bot.text import clean, sentences
from bot.text.markup import (
    remove_images,
    remove_tags,
    replace_links,
    unwrap_autolinks,
    unwrap_emphasis,
)

BOUNDARY = re.compile(
    r"(?<![.!?…])([.!?…]++[\"”’')\]]*+)\s++(?=[\"“‘'(\[]?+(?:[A-Z0-9]|[a-z]++[A-Z]))"
)
FURNITURE = re.compile(
    r"""^(?:
        watch\ now | hide\ content | related\ articles? | advertisement | share\ (?:this|on).*
      | stock\ chart\ icon.* | \d+\ min(?:ute)?s?\ read | \d+\ views? | read\ more.*
      | \(word\ count:.*\) | financial\ market\ analysis\ from\ .* | \?> | <\?php.*
      | skip\ to\ (?:main\ )?content | subscribe.* | sign\ up\ for.* | listen\ to\ this\ article.*
      | .*contributed\ to\ this\ report.*
      | [\W_]*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
PHOTO_CREDIT = re.compile(
    r".*\|\s*(?:getty\ images|reuters|ap\ photo|afp|bloomberg|shutterstock|nurphoto)\s*$",
    re.IGNORECASE | re.VERBOSE,
)
SPACES = re.compile(r"[\t\u00a0\u2002-\u200b][ \t\u00a0\u2002-\u200b]*| [ \t\u00a0\u2002-\u200b]+")
ESCAPE = re.compile(r"\\([\[\]()*_#>`\\-])")
MARKUP_CHARS = re.compile(r"[\[\]*_`<\\]")


def reference_strip_markup(line: str, links: list[str]) -> str:
    if not MARKUP_CHARS.search(line):
        return SPACES.sub(" ", line).strip()
    line = remove_images(line)
    line = replace_links(line, links)
    line = unwrap_autolinks(line)
    line = unwrap_emphasis(line)
    line = ESCAPE.sub(r"\1", line)
    line = remove_tags(line)
    return SPACES.sub(" ", line).strip()


def pieces(*extra: str) -> st.SearchStrategy[str]:
    """Text made of the pieces that matter to a pattern, odd characters and any text."""
    odd = list(" \t\n\r\x0b\x0c\x1c\x1f\x85\u00a0\u2002\u200b\u3000") + ["  ", "ſ", "\u212a"]
    return st.lists(st.one_of(st.sampled_from([*extra, *odd]), st.text(max_size=4))).map("".join)


SENTENCE_PIECES = pieces(
    *". ! ? … .. ?! .” .' .) ] \" “ ‘ ( [ A Z 0 a z iPhone Mr. U.S. J. It the".split(), " "
)
LINE_PIECES = pieces(
    "contributed to this report",
    "CONTRIBUTED TO THIS REPORT",
    "Contributed to thiſ report",
    "contributed",
    "|",
    " | Getty Images",
    "| REUTERS ",
    "watch now",
    "Read more",
    "5 min read",
    "subscribe",
    "-",
    "*",
    "_",
    "[a](https://x.com)",
    "<b>",
    "a",
    "A",
)


def reference_split_sentences(text: str) -> list[str]:
    found: list[str] = []
    start = previous = 0
    for match in BOUNDARY.finditer(text):
        end = match.end(1)
        before = text[previous : match.start(1)]
        previous = match.end()
        if (
            match.group(1).startswith(".")
            and sentences._is_abbreviation(before)
            and sentences._next_word(text, match.end()) not in sentences._OPENERS
        ):
            continue
        piece = text[start:end].strip()
        if piece:
            found.append(piece)
        start = match.end()
    tail = text[start:].strip()
    return [*found, tail] if tail else found


@settings(max_examples=500, deadline=None)
@given(SENTENCE_PIECES)
@example("It rose. Then fell! Did it? Yes… No. Mr. Li. U.S. It")
@example("A. B.. C... D.! E ?F. (G.) “H.” iPhone.")
@example("Did it? Yes. Mr. Li.")
@example("Wait… Yes. Dr. No.")
@example("Stop! Go. St. Paul.")
def test_sentences_end_where_the_look_behind_first_pattern_ended_them(text: str) -> None:
    assert sentences.split_sentences(text) == reference_split_sentences(text)


@settings(max_examples=500, deadline=None)
@given(LINE_PIECES)
@example("Reuters contributed to this report.")
@example("Jane Doe CONTRIBUTED to thiſ report")
@example("contributed to this report\nmore")
@example("A caption | Getty Images")
@example("5 min read")
def test_furniture_is_what_the_whole_patterns_call_furniture(line: str) -> None:
    expected = bool(FURNITURE.match(line)) or bool(PHOTO_CREDIT.match(line))
    assert clean.is_furniture(line) is expected


@settings(max_examples=500, deadline=None)
@given(LINE_PIECES)
@example("a\tb")
@example(" a  b ")
@example("a\u00a0 b")
@example("a \u200b b")
@example("**a**  b")
def test_strip_markup_collapses_spaces_as_the_pattern_did(line: str) -> None:
    links: list[str] = []
    expected_links: list[str] = []
    assert clean.strip_markup(line, links) == reference_strip_markup(line, expected_links)
    assert links == expected_links


@settings(max_examples=500, deadline=None)
@given(st.one_of(LINE_PIECES, st.text()))
@example("A b")
@example("a\x1fb")
@example("a\tb")
@example(" a")
@example("a  b")
@example("a\u3000b")
def test_paragraph_key_is_the_lowered_words_joined_by_one_space(text: str) -> None:
    assert _paragraph_key(text) == " ".join(text.lower().split())


def test_credit_and_furniture_lines_are_still_found() -> None:
    assert clean.is_furniture("Reuters staff CONTRIBUTED to this report.")
    assert clean.is_furniture("Jane Doe contributed to thiſ report")  # "ſ" is an "s"
    assert clean.is_furniture("A caption | Getty Images")
    assert not clean.is_furniture("Alibaba released Qwen 3.5 | a model")


@pytest.mark.parametrize("size", [100, 8191, 8192, 8193, 3 * 8192 + 5])
def test_article_around_the_binary_sniff_size_loads_whole(tmp_path: Path, size: int) -> None:
    head = b"Title\n\n"
    body = (b"word " * size)[: size - len(head) - 2].rstrip() + b"."
    (tmp_path / "a.txt").write_bytes((head + body + b"\n").ljust(size, b"\n"))
    assert (tmp_path / "a.txt").stat().st_size == size
    (article,) = load_corpus(tmp_path).articles
    assert article.sections[0].paragraphs == (body.decode(),)


def test_a_character_across_the_end_of_the_first_read_loads_whole(tmp_path: Path) -> None:
    head = b"Title\n\n"
    body = "a" * (8191 - len(head)) + "é and more."  # "é" is bytes 8191 and 8192
    (tmp_path / "a.txt").write_bytes(head + body.encode())
    loaded = load_corpus(tmp_path)
    assert loaded.articles[0].sections[0].paragraphs == (body,)
    assert loaded.warnings == ()


def test_a_nul_byte_only_in_the_first_read_makes_a_file_binary(tmp_path: Path) -> None:
    (tmp_path / "early.txt").write_bytes(b"Title\n\n" + b"x" * 100 + b"\x00 rest.")
    (tmp_path / "late.txt").write_bytes(b"Title\n\nLate NUL. " + b"y" * 9000 + b"\x00.")
    loaded = load_corpus(tmp_path)
    assert [a.id for a in loaded.articles] == ["late"]
    assert [w.message for w in loaded.warnings] == ["binary content, not text; skipped"]
