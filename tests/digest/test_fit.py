"""``bot/digest/weights.json`` is what ``bench/fit_stories.py`` writes.

The script re-fits the pair model on its fixed small sample (the first fit week
of ``../shared/bench/stories-dev``) and must reproduce the sample fit stored
beside the full one; the full fit has the shape the grouping reads.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from bot.digest.grouping import story_model
from bot.digest.pairs import SIGNALS
from tests.bench_scripts import load_bench_script

ROOT = Path(__file__).resolve().parent.parent.parent
STORED = json.loads((ROOT / "bot" / "digest" / "weights.json").read_text(encoding="utf-8"))


def _fit_module() -> ModuleType:
    return load_bench_script("fit_stories")


def test_weights_name_their_script_and_hold_both_variants() -> None:
    assert STORED["fitted_by"] == "bench/fit_stories.py"
    for variant in ("dense", "terms"):
        model = story_model(variant)
        assert len(model.coefficients) == len(SIGNALS)
        assert 0.0 < model.link_at < 1.0 and model.per_day >= 0.0
        assert model.coefficients[SIGNALS.index("terms")] > 0
    assert story_model("terms").coefficients[SIGNALS.index("dense")] == 0.0


def test_refit_on_the_fixed_sample_reproduces_the_stored_sample_fit() -> None:
    fit = _fit_module()
    from bench.story_data import STORIES, load_weeks

    if not STORIES.exists():
        pytest.skip(f"stories-dev is not at {STORIES}")
    yardstick = load_weeks()
    first = [w for w in yardstick.weeks if w.split == "fit"][: fit.SAMPLE_WEEKS]
    items = fit.digests(first, yardstick.index)
    for variant, strip in (("dense", False), ("terms", True)):
        chosen = (
            [fit.Digest(fit.without_dense(d.profiles), d.gold) for d in items] if strip else items
        )
        coefficients, intercept = fit.fit_pairs(chosen)
        stored = STORED["sample_fit"][variant]
        assert intercept == pytest.approx(stored["intercept"], abs=1e-3)
        for name, value in zip(SIGNALS, coefficients, strict=True):
            assert value == pytest.approx(stored["coefficients"][name], abs=1e-3)
