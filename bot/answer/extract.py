"""Finds the one to three sentences that answer a question, or abstains.

A question's informative terms (after stopwords) each carry an idf weight. A
passage *covers* the question by the weighted share of terms it holds (or a
thesaurus equivalent of them, its title and heading included). Below
``MIN_COVERAGE`` nothing is answered: an answer built from a passage that misses
the question's key words would be made up, not found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.answer.shape import Wants, holds, question_wants
from bot.answer.thesaurus import build_thesaurus
from bot.errors import QuestionError
from bot.models import Answer, ArticleRef, Citation, Passage
from bot.search.index import SearchIndex
from bot.text.sentences import split_sentences

MAX_QUESTION_CHARS = 2000
MIN_COVERAGE = 0.6
RELATED_COVERAGE = 0.3
CANDIDATE_PASSAGES = 12
MAX_SENTENCES = 3
SYNONYM_CREDIT = 0.7
CONTEXT_CREDIT = 0.4
EXTRA_SENTENCE_SHARE = 0.75  # a second or third sentence must hold most of the question
_ANSWER_TYPE = re.compile(
    r"\b(?:which|what)\s+(?:company|companies|firm|firms|lab|labs|model|models|startup|startups)\b"
    r"|\bhow\s+(?:long|big|large|old|tall|far|fast|much|many)\b",
    re.I,
)
_NAME_WORD = re.compile(r"\b(?:[A-Z][\w.-]*|[\w-]*\d[\w.-]*)")
NO_ANSWER = "The articles don't answer this question."
NO_TERMS = "That question has no words to search for; try naming a company, model or topic."


@dataclass(frozen=True, slots=True)
class _Term:
    """One word of the question: a compound ("GLM-5") is one term, not three."""

    text: str
    weight: float
    parts: frozenset[str]  # a compound's parts: all present also counts as the term
    forms: frozenset[str]  # thesaurus equivalents
    is_name: bool  # from a capitalised word or a version: the thing asked about

    def found_in(self, tokens: set[str]) -> float:
        """1 when present, ``SYNONYM_CREDIT`` for an equivalent, else 0."""
        if self.text in tokens or (self.parts and self.parts <= tokens):
            return 1.0
        return SYNONYM_CREDIT if not self.forms.isdisjoint(tokens) else 0.0

    def query(self) -> list[str]:
        return [self.text, *sorted(self.parts)]


@dataclass(frozen=True, slots=True)
class _Candidate:
    score: float
    sentence: str
    terms: frozenset[str]
    names_itself: bool  # names what was asked about without help from its context
    place: tuple[int, int]  # (candidate passage, sentence) — to spot a continuation
    passage: Passage


def check_question(text: str, *, what: str = "question") -> str:
    """Returns the stripped question.

    Raises:
        QuestionError: empty, blank, or longer than ``MAX_QUESTION_CHARS``.
    """
    stripped = text.strip()
    if not stripped:
        raise QuestionError(f"the {what} is empty; type a few words to search for")
    if len(stripped) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the {what} is {len(stripped):,} characters long; the limit is "
            f"{MAX_QUESTION_CHARS:,}. Shorten it and ask again"
        )
    return stripped


class Answerer:
    """Answers questions from a ``SearchIndex``."""

    def __init__(self, index: SearchIndex) -> None:
        self._index = index
        self._tokenize = index.tokenizer
        self._thesaurus = build_thesaurus(index.tokenizer)

    def answer(self, question: str) -> Answer:
        """Answers ``question`` or abstains (``answered`` false).

        Raises:
            QuestionError: the question is empty or too long.
        """
        question = check_question(question)
        terms = self._terms(question)
        if not terms:
            return Answer(question=question, answered=False, text=NO_TERMS)
        covered = [(self._coverage(terms, p), p, s) for p, s in self._candidates(terms)]
        good = [(c, p, s) for c, p, s in covered if c >= MIN_COVERAGE]
        if not good:
            return _abstain(question, (p.article for c, p, _ in covered if c >= RELATED_COVERAGE))
        chosen = self._sentences(question, terms, good)
        if not chosen:
            return _abstain(question, (p.article for _, p, _ in good))
        citations = tuple(Citation(article=c.passage.article, quote=c.sentence) for c in chosen)
        return Answer(question, True, " ".join(c.sentence for c in chosen), citations)

    def _terms(self, question: str) -> list[_Term]:
        # "Which company", "how long": the kind of answer asked for, not words to look for.
        question = _ANSWER_TYPE.sub(" ", question)
        names = {t for word in _NAME_WORD.findall(question) for t in self._tokenize(word)}
        seen: dict[str, _Term] = {}
        for whole, *parts in self._index.tokenizer.groups(question):
            if whole in seen:
                continue
            known = whole in self._index.doc_freq or not parts
            weight = self._index.idf(whole) if known else max(map(self._index.idf, parts))
            forms = self._thesaurus.get(whole, frozenset())
            seen[whole] = _Term(whole, weight, frozenset(parts), forms, whole in names)
        return list(seen.values())

    def _candidates(self, terms: Sequence[_Term]) -> list[tuple[Passage, float]]:
        """The best passages for the question's own words, then for their equivalents.

        Two rankings, merged: thesaurus words added to the query must not push
        out the passages that match the question's own words.
        """
        plain = [text for term in terms for text in term.query()]
        expanded = plain + [form for term in terms for form in sorted(term.forms)]
        best: dict[int, float] = {}
        for query in (plain, expanded):
            for i, score in self._index.top_passages(query, CANDIDATE_PASSAGES):
                best.setdefault(i, score)
        return [(self._index.passage(i), score) for i, score in best.items()]

    def _coverage(self, terms: Sequence[_Term], passage: Passage) -> float:
        context = f"{passage.article.title}\n{passage.heading or ''}\n{passage.text}"
        return _share(terms, set(self._tokenize(context)))

    def _sentences(
        self, question: str, terms: Sequence[_Term], good: Sequence[tuple[float, Passage, float]]
    ) -> list[_Candidate]:
        wants = question_wants(question)
        top_score = max(score for _, _, score in good)
        candidates: list[_Candidate] = []
        for p, (_, passage, score) in enumerate(good):
            heading = set(self._tokenize(passage.heading or ""))
            earlier: set[str] = set()  # the passage so far: what "It" and "The result" refer to
            for n, sentence in enumerate(split_sentences(passage.text)):
                own = set(self._tokenize(sentence))
                context = heading | earlier
                value = _sentence_share(terms, own, context) + 0.1 * score / top_score
                if wants is not Wants.ANY and holds(sentence, wants):
                    value += 0.25
                if len(sentence.split()) < 6:
                    value -= 0.3
                if self._eligible(terms, own, heading, context):
                    names = all(not t.is_name or t.found_in(own) == 1.0 for t in terms)
                    candidates.append(
                        _Candidate(value, sentence, frozenset(own), names, (p, n), passage)
                    )
                earlier |= own
        candidates.sort(key=lambda c: -c.score)
        return _pick(candidates, terms)

    @staticmethod
    def _eligible(
        terms: Sequence[_Term], own: set[str], heading: set[str], context: set[str]
    ) -> bool:
        """Whether a sentence can answer: it names what was asked about (itself or
        through its context, as in "It runs on ...") and states the asked-for fact
        itself (or under a heading that does)."""
        if any(t.is_name and t.found_in(own | context) < 1.0 for t in terms):
            return False
        facts = [t for t in terms if not t.is_name]
        return not facts or _share(facts, own | heading) >= MIN_COVERAGE


def _share(terms: Sequence[_Term], tokens: set[str]) -> float:
    """The weighted share of ``terms`` found in ``tokens``; an equivalent earns partial credit."""
    total = sum(t.weight for t in terms)
    return sum(t.weight * t.found_in(tokens) for t in terms) / total


def _sentence_share(terms: Sequence[_Term], own: set[str], context: set[str]) -> float:
    """Like ``_share``, but a word the sentence leaves to its context ("It runs
    on ...") earns only ``CONTEXT_CREDIT`` of its weight."""
    total = sum(t.weight for t in terms)
    found = sum(
        t.weight * max(t.found_in(own), CONTEXT_CREDIT * t.found_in(context)) for t in terms
    )
    return found / total


def _pick(candidates: Sequence[_Candidate], terms: Sequence[_Term]) -> list[_Candidate]:
    """The best sentence, plus up to two more nearly as good that say something new.

    Every candidate already names what was asked about and, with its heading and
    the sentences before it in its passage, covers the question.
    """
    if not candidates:
        return []
    best = candidates[0]
    chosen = [best]
    for cand in candidates[1:]:
        if len(chosen) == MAX_SENTENCES or cand.score < 0.85 * best.score:
            break
        if _share(terms, set(cand.terms)) < EXTRA_SENTENCE_SHARE:
            continue
        continues = any(cand.place == (c.place[0], c.place[1] + 1) for c in chosen)
        if not (cand.names_itself or continues):
            continue
        if any(_overlap(cand.terms, c.terms) > 0.5 for c in chosen):
            continue
        chosen.append(cand)
    return chosen


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def _abstain(question: str, related: Iterable[ArticleRef]) -> Answer:
    """The abstention, listing up to three of the closest articles (each once)."""
    return Answer(question, False, NO_ANSWER, related=tuple(_unique_articles(related))[:3])


def _unique_articles(refs: Iterable[ArticleRef]) -> list[ArticleRef]:
    seen: dict[str, ArticleRef] = {}
    for ref in refs:
        seen.setdefault(ref.article_id, ref)
    return list(seen.values())
