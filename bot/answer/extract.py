"""Answers a question from the articles, says it is not sure, or says nothing.

1. The question's unknown words are spelled against the corpus.
2. Passages are retrieved by BM25 and dense vectors, fused.
3. Their sentences are the candidates; a transformer model reranks them.
4. A logistic model fitted on data (``model.py``) turns each candidate's
   measured signals into a probability that it answers the question.
5. The best probability picks the tier: an answer, the closest quotes, or nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.answer.features import FEATURES, Signals, features, points_back
from bot.answer.model import AnswerModel, load_model
from bot.answer.question import Question, analyse
from bot.answer.shape import Wants, holds
from bot.answer.spelling import Speller
from bot.embed.lazy import LazyModel
from bot.errors import QuestionError
from bot.models import Answer, Citation, Passage
from bot.search.hybrid import Retrieved, Retriever
from bot.text.sentences import split_sentences

MAX_QUESTION_CHARS = 2000
#: Passages whose sentences become candidates: about forty sentences, the
#: "tens of sentences" a transformer reranks in tens of milliseconds on 2 cores.
CANDIDATE_PASSAGES = 8
#: Sentences the transformer reranks: the best of the candidates by the BM25-only
#: answer model. ~5 ms a sentence on 2 cores keeps a question near 100 ms.
RERANK_TOP = 16
#: An answer is its best sentence and at most this many around it.
MAX_SENTENCES = 3
#: The not-sure tier quotes this many passages (two or three, as a reader scans).
RELATED_QUOTES = 3
NO_ANSWER = "The articles don't answer this question."
NOT_SURE = "I couldn't find a direct answer; the closest passages are:"
NO_TERMS = "That question has no words to search for; try naming a company, model or topic."


@dataclass(frozen=True, slots=True)
class Candidate:
    """One sentence that may answer, with where it stands."""

    passage: Passage
    position: int  # the passage's place in the index
    number: int  # the sentence's place in its passage
    sentences: tuple[str, ...]  # every sentence of its passage
    signals: Signals


@dataclass(frozen=True, slots=True)
class Scored:
    """Every candidate of a question with its feature row and probability."""

    question: Question
    candidates: tuple[Candidate, ...]
    rows: npt.NDArray[np.float64]
    probabilities: npt.NDArray[np.float64]


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
    """Answers questions from a ``Retriever``'s index.

    Args:
        retriever: hybrid passage retrieval over the index.
        rerank: the sentence-embedding model (``None`` or off: BM25 signals only).
        model: the fitted answer model; by default the variant that fits the models in use.
    """

    def __init__(
        self, retriever: Retriever, rerank: LazyModel | None, model: AnswerModel | None = None
    ) -> None:
        self._retriever = retriever
        self._index = retriever.index
        self._rerank = rerank
        self._speller: Speller | None = None
        # Public so that the fitting script can measure with models of its own.
        self.model = model  # default: the fitted variant for the models in use
        self.prerank: AnswerModel | None = None  # default: the fitted BM25-only model

    def answer(self, question: str) -> Answer:
        """Answers ``question``, quotes the closest passages, or says nothing.

        Raises:
            QuestionError: the question is empty or too long.
        """
        question = check_question(question)
        searched = self.spell(question)
        scored = self.score(searched)
        fixed = searched if searched != question else None
        if scored is None:
            return Answer(question, False, NO_TERMS, searched_for=fixed)
        model = self._model_in_use()
        if not scored.candidates:
            return Answer(question, False, NO_ANSWER)
        order = np.argsort(-scored.probabilities, kind="stable")
        best = int(order[0])
        confidence = model.confidence(scored.rows, scored.probabilities)
        if confidence >= model.answer_at:
            chosen = answer_sentences(scored.candidates[best], scored.question)
            citations = tuple(Citation(scored.candidates[best].passage.article, s) for s in chosen)
            text = " ".join(chosen)
            return Answer(question, True, text, citations, (), confidence, fixed)
        if confidence >= model.related_at:
            quotes = _closest([scored.candidates[int(i)] for i in order])
            return Answer(question, False, NOT_SURE, (), quotes, confidence, fixed)
        # A correction that led nowhere is not worth reporting ("paris" -> "parts").
        return Answer(question, False, NO_ANSWER, confidence=confidence)

    def score(self, question: str) -> Scored | None:
        """Every candidate sentence for ``question`` with its probability;
        ``None`` when the question has no words to search for."""
        q = analyse(question, self._index)
        if not q.terms:
            return None
        retrieved = self._retriever.passages(question, CANDIDATE_PASSAGES, terms=q.query)
        best_bm25 = max((r.bm25 for r in retrieved), default=0.0)
        candidates = self._candidates(retrieved)
        model = self._model_in_use()
        rows = _rows(q, [c.signals for c in candidates], best_bm25, 0.0)
        if self._reranking():
            # Only the most promising sentences are worth the transformer's time.
            prerank = self.prerank or load_model("bm25")
            keep = np.argsort(-prerank.probabilities(rows), kind="stable")[:RERANK_TOP]
            candidates = [candidates[int(i)] for i in sorted(keep)]
            sims = self._similarities(question, candidates)
            best_sim = float(sims.max()) if len(sims) else 0.0
            # Only the hybrid model reads the static similarity: measured for the kept few.
            texts = [c.signals.sentence for c in candidates]
            statics = self._retriever.sentence_similarities(question, texts)
            if statics is None:
                statics = np.zeros(len(candidates))
            signals = [
                dataclasses.replace(c.signals, rerank=float(r), static=float(s))
                for c, r, s in zip(candidates, sims, statics, strict=True)
            ]
            rows = _rows(q, signals, best_bm25, best_sim)
        return Scored(q, tuple(candidates), rows, model.probabilities(rows))

    def _reranking(self) -> bool:
        return self._rerank is not None and self._rerank.get() is not None

    def _model_in_use(self) -> AnswerModel:
        if self.model is not None:
            return self.model
        return load_model(
            "hybrid" if self._reranking() and self._index.dense is not None else "bm25"
        )

    def spell(self, question: str) -> str:
        """``question`` with words the corpus has never seen corrected against its words."""
        if self._speller is None:
            index = self._index
            self._speller = Speller(lambda: index.words, index.doc_freq, index.tokenizer)
        return self._speller.correct(question).text

    def _candidates(self, retrieved: Sequence[Retrieved]) -> list[Candidate]:
        tokenize = self._index.tokenizer
        out: list[Candidate] = []
        for r in retrieved:
            passage = self._index.passage(r.position)
            sentences = tuple(split_sentences(passage.text))
            context = set(tokenize(f"{passage.article.title}\n{passage.heading or ''}"))
            lead = self._index.passage_number(r.position) == 0
            for n, sentence in enumerate(sentences):
                own = frozenset(tokenize(sentence))
                signals = Signals(
                    sentence=sentence,
                    tokens=own,
                    context=frozenset(context),
                    passage_bm25=r.bm25,
                    bm25_top=r.bm25_top,
                    dense=r.dense,
                    rerank=0.0,
                    first=n == 0,
                    lead=lead,
                )
                out.append(Candidate(passage, r.position, n, sentences, signals))
                context |= own
        return out

    def _similarities(
        self, question: str, candidates: Sequence[Candidate]
    ) -> npt.NDArray[np.float32]:
        model = self._rerank.get() if self._rerank is not None else None
        if model is None or not candidates:
            return np.zeros(len(candidates), dtype=np.float32)
        vectors = model.embed([question, *(c.signals.sentence for c in candidates)])
        sims: npt.NDArray[np.float32] = vectors[1:] @ vectors[0]
        return sims


def _rows(
    q: Question, signals: Sequence[Signals], best_bm25: float, best_sim: float
) -> npt.NDArray[np.float64]:
    rows = [features(q, s, best_bm25, best_sim) for s in signals]
    return np.asarray(rows, dtype=np.float64).reshape(len(signals), len(FEATURES))


def answer_sentences(best: Candidate, q: Question) -> list[str]:
    """The best sentence, with the one before when it points back to it ("It
    runs on ...") and the one after when that continues it or holds the
    asked-for kind of fact the best one lacks."""
    sentences, n = best.sentences, best.number
    chosen = [sentences[n]]
    if points_back(sentences[n]) and n > 0:
        chosen.insert(0, sentences[n - 1])
    if n + 1 < len(sentences) and len(chosen) < MAX_SENTENCES:
        after = sentences[n + 1]
        lacks = q.wants is not Wants.ANY and not holds(sentences[n], q.wants)
        if points_back(after) or (lacks and holds(after, q.wants)):
            chosen.append(after)
    return chosen


def _closest(ranked: Sequence[Candidate]) -> tuple[Citation, ...]:
    """The best sentence of each of the top few passages."""
    seen: set[int] = set()
    quotes: list[Citation] = []
    for c in ranked:
        if c.position in seen:
            continue
        seen.add(c.position)
        quotes.append(Citation(c.passage.article, c.signals.sentence))
        if len(quotes) == RELATED_QUOTES:
            break
    return tuple(quotes)
