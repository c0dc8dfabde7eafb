"""Finds the one to three sentences that answer a question, or abstains.

A question's informative terms (after stopwords) each carry an idf weight. A
passage *covers* the question by the weighted share of terms it holds (or a
thesaurus equivalent of them, its title and heading included). Below
``MIN_COVERAGE`` nothing is answered: an answer built from a passage that misses
the question's key words would be made up, not found.
"""

from __future__ import annotations

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
NO_ANSWER = "The articles don't answer this question."
NO_TERMS = "That question has no words to search for; try naming a company, model or topic."


@dataclass(frozen=True, slots=True)
class _Term:
    weight: float
    forms: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Candidate:
    score: float
    sentence: str
    terms: frozenset[str]
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
        query = [form for term in terms for form in sorted(term.forms)]
        ranked = self._index.top_passages(query, CANDIDATE_PASSAGES)
        covered = [(self._coverage(terms, p), p, s) for p, s in self._passages(ranked)]
        good = [(c, p, s) for c, p, s in covered if c >= MIN_COVERAGE]
        if not good:
            related = _unique_articles(p.article for c, p, _ in covered if c >= RELATED_COVERAGE)
            return Answer(question, False, NO_ANSWER, related=tuple(related)[:3])
        chosen = self._sentences(question, terms, good)
        if not chosen:
            return Answer(
                question,
                False,
                NO_ANSWER,
                related=tuple(_unique_articles(p.article for _, p, _ in good))[:3],
            )
        citations = tuple(Citation(article=c.passage.article, quote=c.sentence) for c in chosen)
        return Answer(question, True, " ".join(c.sentence for c in chosen), citations)

    def _terms(self, question: str) -> list[_Term]:
        seen: dict[str, _Term] = {}
        for term in self._tokenize(question):
            if term not in seen:
                forms = self._thesaurus.get(term, frozenset()) | {term}
                seen[term] = _Term(self._index.idf(term), forms)
        return list(seen.values())

    def _passages(self, ranked: Sequence[tuple[int, float]]) -> list[tuple[Passage, float]]:
        return [(self._index.passage(i), score) for i, score in ranked]

    def _context(self, passage: Passage) -> set[str]:
        return set(self._tokenize(f"{passage.article.title}\n{passage.heading or ''}"))

    def _coverage(self, terms: Sequence[_Term], passage: Passage) -> float:
        tokens = self._context(passage) | set(self._tokenize(passage.text))
        return _share(terms, tokens)

    def _sentences(
        self, question: str, terms: Sequence[_Term], good: Sequence[tuple[float, Passage, float]]
    ) -> list[_Candidate]:
        wants = question_wants(question)
        top_score = max(score for _, _, score in good)
        candidates: list[_Candidate] = []
        for _, passage, score in good:
            context = self._context(passage)
            for sentence in split_sentences(passage.text):
                own = set(self._tokenize(sentence))
                value = _share(terms, own) + 0.5 * _share(terms, context - own)
                value += 0.1 * score / top_score
                if wants is not Wants.ANY and holds(sentence, wants):
                    value += 0.25
                if len(sentence.split()) < 6:
                    value -= 0.3
                candidates.append(_Candidate(value, sentence, frozenset(own), passage))
        candidates.sort(key=lambda c: -c.score)
        return _pick(candidates, terms)


def _share(terms: Sequence[_Term], tokens: set[str]) -> float:
    total = sum(t.weight for t in terms)
    return sum(t.weight for t in terms if not t.forms.isdisjoint(tokens)) / total


def _pick(candidates: Sequence[_Candidate], terms: Sequence[_Term]) -> list[_Candidate]:
    """The best sentence, plus up to two more nearly as good that say something new."""
    if not candidates or _share(terms, set(candidates[0].terms)) == 0:
        return []
    best = candidates[0]
    chosen = [best]
    for cand in candidates[1:]:
        if len(chosen) == MAX_SENTENCES or cand.score < 0.85 * best.score:
            break
        if _share(terms, set(cand.terms)) < 0.5:
            continue
        if any(_overlap(cand.terms, c.terms) > 0.5 for c in chosen):
            continue
        chosen.append(cand)
    return chosen


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def _unique_articles(refs: Iterable[ArticleRef]) -> list[ArticleRef]:
    seen: dict[str, ArticleRef] = {}
    for ref in refs:
        seen.setdefault(ref.article_id, ref)
    return list(seen.values())
