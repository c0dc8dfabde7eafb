"""The fitted answer model: two logistic regressions.

The sentence stage scores each candidate over ``features.FEATURES`` (which one
answers); the question stage turns the scored candidates, summarised by
``features.QUESTION_FEATURES``, into the confidence that the best one is a right
answer (whether to answer at all).

Its coefficients and the two tier thresholds are written by
``bench/fit_answers.py`` into ``weights.json`` beside this file; nothing here is
set by hand. Two variants are fitted: ``hybrid`` (with the embedding models) and
``bm25`` (models off), since without a model its signals are missing, not zero.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.answer.features import FEATURES, QUESTION_FEATURES, question_features

WEIGHTS = Path(__file__).resolve().parent / "weights.json"


@dataclass(frozen=True, slots=True)
class AnswerModel:
    """A standardised logistic regression and the thresholds of its tiers."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    answer_at: float  # confidence at or above: answer (precision target met on the fitting data)
    related_at: float  # at or above (and below answer_at): show the closest passages
    question: tuple[tuple[float, ...], ...] = ()  # (mean, scale, coef, (intercept,)); () = none

    def confidence(self, rows: npt.NDArray[np.float64], p: npt.NDArray[np.float64]) -> float:
        """The probability that the best candidate answers: the question stage's
        output, or the best sentence probability where no question stage is fitted."""
        if len(p) == 0:
            return 0.0
        if not self.question:
            return float(p.max())
        mean, scale, coef, (intercept,) = (np.asarray(v) for v in self.question)
        x = (np.asarray(question_features(p, rows)) - mean) / scale
        return float(1.0 / (1.0 + np.exp(-np.clip(x @ coef + intercept, -30, 30))))

    def probabilities(self, rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """P(sentence answers the question) for each row of full ``FEATURES`` values."""
        if rows.shape[0] == 0:
            return np.zeros(0)
        columns = [FEATURES.index(name) for name in self.features]
        x = (rows[:, columns] - np.asarray(self.mean)) / np.asarray(self.scale)
        z = x @ np.asarray(self.coef) + self.intercept
        p: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        return p

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "answer_at": self.answer_at,
            "related_at": self.related_at,
            "question": {
                "features": list(QUESTION_FEATURES),
                **dict(zip(("mean", "scale", "coef"), map(list, self.question[:3]), strict=True)),
                "intercept": self.question[3][0],
            }
            if self.question
            else None,
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> AnswerModel:
        return cls(
            features=tuple(str(f) for f in obj["features"]),
            mean=tuple(float(v) for v in obj["mean"]),
            scale=tuple(float(v) for v in obj["scale"]),
            coef=tuple(float(v) for v in obj["coef"]),
            intercept=float(obj["intercept"]),
            answer_at=float(obj["answer_at"]),
            related_at=float(obj["related_at"]),
            question=_question_stage(obj.get("question")),
        )


def _question_stage(obj: dict[str, Any] | None) -> tuple[tuple[float, ...], ...]:
    if not obj:
        return ()
    if tuple(obj["features"]) != QUESTION_FEATURES:
        raise ValueError("weights.json was fitted on other question features; re-run the fit")
    parts = (obj["mean"], obj["scale"], obj["coef"], [obj["intercept"]])
    return tuple(tuple(float(v) for v in part) for part in parts)


@functools.cache
def load_model(variant: str, path: Path = WEIGHTS) -> AnswerModel:
    """The fitted ``variant`` (``hybrid`` or ``bm25``) from ``path``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return AnswerModel.from_json(data["variants"][variant])


@functools.cache
def fusion_weight(path: Path = WEIGHTS) -> float:
    """The dense cosine's share of the hybrid retrieval score, as fitted."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return float(data["fusion"]["dense_weight"])
