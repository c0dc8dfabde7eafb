"""The tokenizer's shortcuts give exactly what its plain pipeline gives.

The reference below is the tokenizer as it was before any shortcut: NFKC,
casefold, thousands separators and possessive 's dropped by regular
expressions over the whole text, then the Unicode word pattern. ASCII text now
takes a cheaper route and each mark is looked for only when present; these
properties fail if a change to either route changes a single word or term.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text.tokenize import Tokenizer, surface_words

_TOKEN = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_APOSTROPHE_S = re.compile(r"['’]s\b")


def reference_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _THOUSANDS.sub("", text)
    text = _APOSTROPHE_S.sub("", text)
    return _TOKEN.findall(text)


tokenizer = Tokenizer()
plain = Tokenizer(stem=False)

# Pieces that exercise every step: numbers with separators, possessives, compounds,
# versions, underscores, and characters NFKC or casefold change ("ﬁ", "Ⅻ", "ß",
# full-width digits and comma, the Kelvin sign, a combining accent).
PIECES = [
    "1,000",
    "12,345,678",
    "1,00",
    "1,0000",
    ",000",
    "a,123",
    "1,234a",
    "1,234_",
    "Alibaba's",
    "Kuaishou’s",
    "it's",
    "'s",
    "GLM-5",
    "Qwen-Image",
    "-x-",
    "M2.5",
    "U.S.",
    "3.0.",
    "a..b",
    "a_b",
    "15s",
    "ﬁne",
    "Ⅻ",
    "Straße",
    "１，０００",
    "\u212a",
    "e\u0301",
    "İ",
    "ſ",
]
ASCII_CHARS = st.characters(min_codepoint=0, max_codepoint=127)
ASCII_TEXT = st.lists(
    st.one_of(st.sampled_from([p for p in PIECES if p.isascii()]), st.text(ASCII_CHARS)),
    max_size=12,
).map(" ".join)
ANY_TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text()), max_size=12).map(
    lambda parts: "".join(parts)
)


@settings(max_examples=400, deadline=None)
@given(ASCII_TEXT)
def test_ascii_text_takes_a_shortcut_to_the_same_words(text: str) -> None:
    assert text.isascii()
    assert surface_words(text) == reference_words(text)


@settings(max_examples=400, deadline=None)
@given(st.one_of(ASCII_TEXT, ANY_TEXT))
def test_surface_words_are_the_plain_pipelines_words(text: str) -> None:
    assert surface_words(text) == reference_words(text)


@settings(max_examples=300, deadline=None)
@given(st.one_of(ASCII_TEXT, ANY_TEXT))
def test_terms_and_groups_are_the_terms_of_the_plain_pipelines_words(text: str) -> None:
    for tok in (tokenizer, plain):
        groups = [tok._terms(raw) for raw in reference_words(text)]
        assert tok(text) == [term for terms in groups for term in terms]
        # build_index's order: the text just split gives its words again.
        assert surface_words(text) == reference_words(text)
        assert tok.groups(text) == [terms for terms in groups if terms]


def test_words_of_numbers_possessives_and_compounds_match_the_reference() -> None:
    text = " ".join(PIECES)
    assert surface_words(text) == reference_words(text)
    assert surface_words(text.upper()) == reference_words(text.upper())


def test_surface_words_of_the_text_just_tokenized_are_the_callers_own() -> None:
    text = "Alibaba's GLM-5 has 1,000 parameters"
    terms = tokenizer(text)
    words = surface_words(text)
    assert words == ["alibaba", "glm-5", "has", "1000", "parameters"]
    words.append("changed")
    assert surface_words(text) == ["alibaba", "glm-5", "has", "1000", "parameters"]
    assert tokenizer(text) == terms
