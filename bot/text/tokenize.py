"""Tokenization tuned for AI news: case-folded, stemmed, versions kept whole.

Model names and versions are what people ask about ("GLM-5", "M2.5", "Kling 3.0",
"Qwen-Image 2.0", "15s"), so a hyphenated compound is indexed both whole and as its
parts, dotted versions stay one token, and a number with a unit suffix also yields
the bare number ("15s" matches "15 seconds").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import Stemmer

from bot.text.lemmas import IRREGULAR
from bot.text.stopwords import STOPWORDS

# A run of letters/digits, optionally joined to more runs by "-" or "." (no spaces).
_TOKEN = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*")
# The same on lower-case ASCII text, where ``[^\W_]`` is ``[a-z0-9]``: a plain
# character set scans about twice as fast as the Unicode category test. Possessive,
# as nothing after a run could take a character back from it (a little faster still).
_ASCII_TOKEN = re.compile(r"[a-z0-9]++(?:[-.][a-z0-9]++)*+")
# A comma between a digit and three more. The pattern starts with the comma, not with
# the look-behind, so the scan jumps from comma to comma instead of trying every
# position (that took a third of the tokenizer's time).
_THOUSANDS = re.compile(r",(?<=\d,)(?=\d{3}\b)")
_APOSTROPHE_S = re.compile(r"['’]s\b")
_NUMBER_WITH_UNIT = re.compile(r"(\d+(?:\.\d+)?)[a-z]{1,3}")
_HAS_DIGIT = re.compile(r"\d")


class Tokenizer:
    """Turns text into index terms.

    Args:
        stem: apply the Snowball English stemmer to plain words.
    """

    def __init__(self, *, stem: bool = True) -> None:
        self._stemmer = Stemmer.Stemmer("english") if stem else None
        self._word_cache: dict[str, tuple[str, ...]] = {}

    def __call__(self, text: str) -> list[str]:
        """Returns the index terms of ``text`` in order (duplicates kept)."""
        out: list[str] = []
        cache = self._word_cache
        for raw in _raw_words(text):
            terms = cache.get(raw)
            if terms is None:
                terms = self._terms(raw)
                if len(cache) < 500_000:
                    cache[raw] = terms
            out.extend(terms)
        return out

    def groups(self, text: str) -> list[tuple[str, ...]]:
        """The terms of each word of ``text``: a compound gives ``(whole, *parts)``."""
        found = (self._terms(raw) for raw in _raw_words(text))
        return [terms for terms in found if terms]

    def many(self, texts: Iterable[str]) -> list[list[str]]:
        """Tokenizes several texts."""
        return [self(text) for text in texts]

    def _terms(self, raw: str) -> tuple[str, ...]:
        if "-" in raw:
            parts = [p for piece in raw.split("-") for p in self._terms(piece)]
            return (raw, *parts)
        if "." in raw:
            # "3.0", "m2.5", "u.s": one token, never split or stemmed.
            return (raw,)
        if _HAS_DIGIT.search(raw):
            unit = _NUMBER_WITH_UNIT.fullmatch(raw)
            return (raw, unit.group(1)) if unit else (raw,)
        if len(raw) < 2 or raw in STOPWORDS:
            return ()
        return (self.stem(IRREGULAR.get(raw, raw)),)

    def stem(self, word: str) -> str:
        """Stems one lower-case word (identity when stemming is off)."""
        if self._stemmer is None:
            return word
        return _stem_cached(self._stemmer, word)


def surface_words(text: str) -> list[str]:
    """The words of ``text`` as written (case-folded, compounds whole): what a
    question's words are spelled against."""
    return list(_raw_words(text))  # a copy: the one split last is kept for the next call


@lru_cache(maxsize=200_000)
def _stem_cached(stemmer: Stemmer.Stemmer, word: str) -> str:
    return str(stemmer.stemWord(word))


#: The text split last and its words. ``build_index`` asks for a passage's terms and
#: then for its surface words, passing the same string: the second call finds the
#: words here instead of splitting the text again. One entry, replaced whole, so
#: threads sharing it see a matching pair; the list is never handed out.
_last_split: tuple[str, list[str]] = ("", [])


def _raw_words(text: str) -> list[str]:
    """The words of ``text`` after normalising, before stemming: what the cache is keyed
    by. The caller must not change the list."""
    global _last_split
    last = _last_split
    if last[0] is text:
        return last[1]
    if text.isascii():
        # NFKC leaves ASCII as it is and casefold() lowers only A-Z there, so lower()
        # does both; then the ASCII pattern finds what ``_TOKEN`` would.
        words = _ASCII_TOKEN.findall(_drop_marks(text.lower()))
    else:
        words = _TOKEN.findall(_normalise(text))
    _last_split = (text, words)
    return words


def _normalise(text: str) -> str:
    return _drop_marks(unicodedata.normalize("NFKC", text).casefold())


def _drop_marks(text: str) -> str:
    """Drops thousands separators and possessive 's (each looked for only when its mark
    is there: a substring test is far cheaper than a regular expression's scan)."""
    if "," in text:
        text = _THOUSANDS.sub("", text)
    if "'" in text or "’" in text:
        text = _APOSTROPHE_S.sub("", text)
    return text
