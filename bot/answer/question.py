"""What a question asks about: its weighted terms and the names it mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answer.shape import Wants, question_wants
from bot.search.index import SearchIndex

# A capitalised word, or a word with a digit: a name or a number the answer must hold.
_NAME_WORD = re.compile(r"\b(?:[A-Z][\w.-]*|[\w-]*\d[\w.-]*)")


@dataclass(frozen=True, slots=True)
class Term:
    """One word of the question: a compound ("GLM-5") is one term, not three."""

    text: str
    weight: float  # idf: a rare word says more about what is asked
    parts: frozenset[str]  # a compound's parts: all present also counts as the term

    def found_in(self, tokens: set[str] | frozenset[str]) -> bool:
        """Whether ``tokens`` hold the term (or every part of a compound)."""
        return self.text in tokens or bool(self.parts and self.parts <= tokens)


@dataclass(frozen=True, slots=True)
class Question:
    """A question, analysed once for all its candidate sentences."""

    text: str
    terms: tuple[Term, ...]
    names: tuple[str, ...]  # names and numbers as typed, case-folded
    name_terms: tuple[Term, ...]
    wants: Wants

    @property
    def query(self) -> list[str]:
        """The BM25 query: each term and a compound's parts."""
        return [t for term in self.terms for t in (term.text, *sorted(term.parts))]


def analyse(text: str, index: SearchIndex) -> Question:
    """Splits ``text`` into weighted terms and names."""
    tokenize = index.tokenizer
    terms: dict[str, Term] = {}
    for whole, *parts in tokenize.groups(text):
        if whole in terms:
            continue
        known = whole in index.doc_freq or not parts
        weight = index.idf(whole) if known else max(map(index.idf, parts))
        terms[whole] = Term(whole, weight, frozenset(parts))
    names = tuple(dict.fromkeys(w.casefold().strip(".-") for w in _NAME_WORD.findall(text)))
    name_texts = {t for n in names for t in tokenize(n)[:1]}
    name_terms = tuple(t for t in terms.values() if t.text in name_texts)
    return Question(text, tuple(terms.values()), names, name_terms, question_wants(text))
