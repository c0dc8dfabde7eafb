"""Measured signals of one candidate sentence, the inputs of the answer model.

Each feature is a number a person could check by hand; how much each counts is
not set here but fitted on data by ``bench/fit_answers.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from bot.answer.question import Question, Term
from bot.answer.shape import Wants, holds
from bot.text.overlap import missing, novelty, share
from bot.text.pronouns import opens_pointing_back

#: A name counts as present when a sentence holds it with at most about one
#: edit in seven letters (rapidfuzz partial ratio), so "Rynnbrain" finds "RynnBrain's".
NAME_MATCH = 85.0

FEATURES = (
    "bm25",  # the passage's BM25 score over the best candidate passage's
    "bm25_top",  # 1 for the passage BM25 ranks first
    "dense",  # static-model cosine of question and passage
    "rerank",  # transformer cosine of question and sentence
    "rerank_gap",  # how far below the best candidate's cosine
    "static",  # static-model cosine of question and sentence
    "cover",  # idf-weighted share of the question's terms in the sentence
    "cover_ctx",  # ... in the sentence with its title, heading and earlier sentences
    "missing",  # the rarest question term missing from sentence and context (share of idf)
    "names",  # share of the question's names and numbers in the sentence (fuzzy)
    "names_ctx",  # ... in the sentence or its context
    "type_match",  # the question asks for a number/name/date and the sentence holds one
    "type_miss",  # it asks for one and the sentence holds none
    "first",  # first sentence of its passage
    "lead",  # in the article's first passage
    "points_back",  # opens with a pronoun that refers to an earlier sentence
    "length",  # log of the sentence's words
    "novel",  # share of the sentence's terms not in the question: an answer adds something
)


#: What the answer step knows about a question once its sentences are scored: the
#: inputs of the second, question-level model that turns the best sentence's score
#: into the confidence the tiers are cut on.
QUESTION_FEATURES = (
    "best",  # the best sentence's probability
    "margin",  # ... less the runner-up's: one clear answer, or several half-answers
    "mass",  # the sum of all probabilities: how many sentences look like answers
    "rerank_best",  # the best sentence's transformer similarity
    "rerank_max",  # the highest similarity of any candidate
    "cover",  # the best sentence's share of the question's words
    "cover_ctx",  # ... with its context
    "cover_ctx_max",  # the highest share with context among all candidates
    "names_ctx",  # the best sentence's share of the question's names, with context
    "missing",  # the rarest question word the best sentence and its context lack
    "type_miss",  # the question asks a kind of fact the best sentence lacks
    "dense",  # the best sentence's passage's static-model similarity
)


def question_features(
    probabilities: npt.NDArray[np.float64], rows: npt.NDArray[np.float64]
) -> list[float]:
    """The values of ``QUESTION_FEATURES`` for one question's scored candidates."""
    if len(probabilities) == 0:
        return [0.0] * len(QUESTION_FEATURES)
    order = np.argsort(-probabilities, kind="stable")
    best = rows[int(order[0])]
    runner_up = float(probabilities[int(order[1])]) if len(order) > 1 else 0.0
    column = {name: i for i, name in enumerate(FEATURES)}
    return [
        float(probabilities[int(order[0])]),
        float(probabilities[int(order[0])]) - runner_up,
        float(probabilities.sum()),
        float(best[column["rerank"]]),
        float(rows[:, column["rerank"]].max()),
        float(best[column["cover"]]),
        float(best[column["cover_ctx"]]),
        float(rows[:, column["cover_ctx"]].max()),
        float(best[column["names_ctx"]]),
        float(best[column["missing"]]),
        float(best[column["type_miss"]]),
        float(best[column["dense"]]),
    ]


@dataclass(frozen=True, slots=True)
class Signals:
    """Raw measurements behind the features (kept for the answer's own use)."""

    sentence: str
    tokens: frozenset[str]
    context: frozenset[str]
    passage_bm25: float
    bm25_top: bool
    dense: float
    rerank: float
    first: bool
    lead: bool
    static: float = 0.0  # static-model cosine of question and sentence


def features(q: Question, s: Signals, best_bm25: float, best_rerank: float) -> list[float]:
    """The values of ``FEATURES`` for one candidate, in order."""
    both = s.tokens | s.context
    lowered = s.sentence.casefold()
    holds_kind = q.wants is not Wants.ANY and holds(s.sentence, q.wants)
    words = len(s.sentence.split())
    return [
        s.passage_bm25 / best_bm25 if best_bm25 > 0 else 0.0,
        float(s.bm25_top),
        s.dense,
        s.rerank,
        best_rerank - s.rerank,
        s.static,
        share(q.terms, s.tokens),
        share(q.terms, both),
        missing(q.terms, both),
        _names(q, lowered, s.tokens),
        _names(q, lowered + " " + " ".join(sorted(s.context)), both),
        float(holds_kind),
        float(q.wants is not Wants.ANY and not holds_kind),
        float(s.first),
        float(s.lead),
        float(points_back(s.sentence)),
        math.log1p(words),
        novelty(s.tokens, (t.text for t in q.terms)),
    ]


def points_back(sentence: str) -> bool:
    """Whether ``sentence`` opens by referring to something said before it."""
    return opens_pointing_back(sentence)


def _names(q: Question, lowered: str, tokens: frozenset[str]) -> float:
    if not q.names:
        return 1.0
    found = 0
    for name, term in zip(q.names, _terms_of(q), strict=True):
        if (term is not None and term.found_in(tokens)) or fuzz.partial_ratio(
            name, lowered
        ) >= NAME_MATCH:
            found += 1
    return found / len(q.names)


def _terms_of(q: Question) -> list[Term | None]:
    by_text = {t.text: t for t in q.name_terms}
    return [by_text.get(name) for name in q.names]
