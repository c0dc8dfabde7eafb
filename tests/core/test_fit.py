"""``bot/answer/weights.json`` is what ``bench/fit_answers.py`` writes.

The fitting script re-fits on its fixed small sample (the first fitting questions
of each set) and must reproduce the sample fit stored beside the full one; the
full fit has the shape the answerer reads, and its thresholds are ordered.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from bot.answer.features import FEATURES, QUESTION_FEATURES
from bot.answer.model import WEIGHTS, AnswerModel, fusion_weight, load_model
from tests.bench_scripts import load_bench_script

STORED = json.loads(WEIGHTS.read_text(encoding="utf-8"))


def _fit_module() -> ModuleType:
    return load_bench_script("fit_answers")


def test_weights_name_their_script_and_hold_both_variants() -> None:
    assert STORED["fitted_by"] == "bench/fit_answers.py"
    assert 0.0 <= fusion_weight() <= 1.0
    for variant in ("hybrid", "bm25"):
        model = load_model(variant)
        assert set(model.features) <= set(FEATURES)
        assert len(model.coef) == len(model.mean) == len(model.scale) == len(model.features)
        assert 0.0 < model.related_at <= model.answer_at < 1.0
        assert len(model.question) == 4 and len(model.question[2]) == len(QUESTION_FEATURES)
    assert "rerank" in load_model("hybrid").features
    assert "rerank" not in load_model("bm25").features


@pytest.mark.parametrize("models", [False, True], ids=["bm25", "hybrid"])
def test_refit_on_the_fixed_sample_reproduces_the_stored_sample_fit(
    models: bool, tmp_path: Path
) -> None:
    fit = _fit_module()
    if not (fit.SQUAD / "corpus.jsonl").exists():
        pytest.skip(f"SQuAD-dev is not at {fit.SQUAD}")
    tag = "hybrid" if models else "bm25"
    squad = [c for c in fit.squad_cases() if c.split == "fit"][: fit.SAMPLE]
    chat = [c for c in fit.chat_cases() if c.split == "fit"][: fit.SAMPLE]
    measured = []
    for corpus, cases in ((fit.SQUAD / "corpus.jsonl", squad), (fit.SEEDS, chat)):
        bot = fit.open_bot(corpus, tmp_path / corpus.name, models=models)
        bot.retriever.dense_weight = fusion_weight()
        bot.answerer.prerank = load_model("bm25") if models else None
        bot.answerer.model = fit.UNFITTED
        measured += fit.measure(bot, cases)
    refit = fit.fit_variant(measured, models=models)
    stored = AnswerModel.from_json(STORED["sample_fit"][tag])
    assert refit.features == stored.features
    assert refit.coef == pytest.approx(stored.coef, abs=2e-3)
    assert refit.intercept == pytest.approx(stored.intercept, abs=2e-3)
    assert refit.answer_at == pytest.approx(stored.answer_at, abs=2e-3)
    assert refit.related_at == pytest.approx(stored.related_at, abs=2e-3)
    assert refit.question[2] == pytest.approx(stored.question[2], abs=2e-3)
