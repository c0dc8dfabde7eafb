"""Corrects question words the corpus has never seen against the words it has.

"rynnbrian" becomes "rynnbrain", "seedence" "seedance", "glm5" "glm-5". A word
that is no misspelling of a corpus word but begins one is read as its chat
abbreviation: "params" becomes "parameters", "specs" "specifications" (the
commonest corpus word it begins). Only a word that no passage holds is touched;
a word the corpus knows is never changed.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.text.tokenize import Tokenizer, surface_words

#: Words shorter than this are never corrected: at three letters nearly every
#: word is one edit from another.
MIN_CORRECTABLE = 4
#: Edits allowed by word length: SymSpell's customary limit is 2; a word under
#: ``LONG_WORD`` letters gets 1, since two edits turn most short words into others.
MAX_EDITS = 2
LONG_WORD = 8
#: An abbreviation is read as a longer word only from this many letters (plural
#: "s" aside): "spec", "param", "info" begin few words; three letters ("inf",
#: "par") begin hundreds, so the guess would be noise.
MIN_ABBREVIATION = 4
_JOINERS = re.compile(r"[-.]")


@dataclass(frozen=True, slots=True)
class Correction:
    """A question with its unknown words replaced; ``changed`` when any was."""

    text: str
    changed: bool


class Speller:
    """Spells question words against the corpus's own words.

    Args:
        words: the corpus's case-folded surface words with their counts.
        known: whether an index term occurs in the corpus.
        tokenizer: the index's tokenizer (a word is unknown when none of its terms is known).
    """

    def __init__(
        self,
        words: Callable[[], Mapping[str, int]],
        known: Mapping[str, int],
        tokenizer: Tokenizer,
    ) -> None:
        self._words = words
        self._known = known
        self._tokenize = tokenizer
        self._by_key: dict[str, str] | None = None  # built when a word first needs it
        self._keys: list[str] = []
        self._sorted: list[str] = []  # the keys in alphabetical order, for prefixes
        self._rank: dict[str, int] = {}  # a key's place by frequency (0: commonest)

    def _table(self) -> dict[str, str]:
        if self._by_key is None:
            # One spelling per joiner-free key ("glm5" -> "glm-5"), the most frequent
            # first, so that among equally close words the commoner one wins.
            ranked = sorted(self._words().items(), key=lambda kv: (-kv[1], kv[0]))
            self._by_key = {}
            for word, _ in ranked:
                if len(word) >= MIN_CORRECTABLE - 1:
                    self._by_key.setdefault(_key(word), word)
            self._keys = list(self._by_key)
            self._rank = {key: n for n, key in enumerate(self._keys)}
            self._sorted = sorted(self._keys)
        return self._by_key

    def correct(self, question: str) -> Correction:
        """``question`` with each unknown word replaced by its closest corpus word."""
        changed = False
        out = question
        for word in dict.fromkeys(surface_words(question)):
            if not self._unknown(word):
                continue
            better = self._closest(word)
            if better is not None and better != word:
                out = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", better, out, flags=re.I)
                changed = True
        return Correction(out, changed)

    def _unknown(self, word: str) -> bool:
        terms = self._tokenize(word)
        return (
            len(word) >= MIN_CORRECTABLE
            and bool(terms)
            and not any(t in self._known for t in terms)
        )

    def _closest(self, word: str) -> str | None:
        table = self._table()
        key = _key(word)
        if key in table:
            return table[key]
        limit = MAX_EDITS if len(key) >= LONG_WORD else 1
        found = process.extractOne(key, self._keys, scorer=OSA.distance, score_cutoff=limit)
        if found:
            return table[found[0]]
        return self._expanded(key.removesuffix("s") if len(key) > MIN_ABBREVIATION else key, table)

    def _expanded(self, prefix: str, table: dict[str, str]) -> str | None:
        """The commonest corpus word that ``prefix`` begins (and is shorter than)."""
        if len(prefix) < MIN_ABBREVIATION:
            return None
        best: str | None = None
        for n in range(bisect_left(self._sorted, prefix), len(self._sorted)):
            key = self._sorted[n]
            if not key.startswith(prefix):
                break
            if len(key) > len(prefix) and (best is None or self._rank[key] < self._rank[best]):
                best = key
        return table[best] if best is not None else None


def _key(word: str) -> str:
    return _JOINERS.sub("", word)
