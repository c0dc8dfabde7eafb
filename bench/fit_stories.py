"""Fits the story grouping on ``../shared/bench/stories-dev`` and writes
``bot/digest/weights.json``.

For each variant (``dense``: with the bundled semantic model; ``terms``: models off):
1. a logistic regression over the pair signals of the fit weeks' candidate pairs
   (label: the two articles are in one human-made story);
2. ``link_at``: the average-linkage threshold with the best mean B-cubed F1 over
   the fit weeks' digests;
3. ``per_day``: the score taken off a pair per day between its articles, the
   value with the best B-cubed F1 on the fit weeks as one long digest. Every
   roundup in the data carries one date, so the data alone would forbid any gap;
   the grid stops where a same-story pair of median score still links two days
   apart, because real coverage of one event runs over a few days.

Usage: ``python bench/fit_stories.py`` (about a minute). The held weeks are never read.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.story_data import Week, load_weeks, quarter  # noqa: E402
from bench.story_metrics import bcubed, labels  # noqa: E402
from bot.digest.grouping import StoryModel, group  # noqa: E402
from bot.digest.pairs import SIGNALS, Pairs, candidate_pairs  # noqa: E402
from bot.digest.profiles import Profiles, build_profiles  # noqa: E402
from bot.search.index import SearchIndex  # noqa: E402

WEIGHTS = Path(__file__).resolve().parent.parent / "bot" / "digest" / "weights.json"
#: Inverse regularisation strength: the signals are few and on one scale, so a
#: light penalty; the fit changes little between 1 and 100.
REGULARISATION = 10.0
#: Thresholds tried for ``link_at`` (the score is a probability).
LINK_GRID = tuple(round(0.05 + 0.025 * k, 3) for k in range(31))
#: Penalties tried for ``per_day``.
DAY_GRID = (0.0, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2)
#: Days apart at which a same-story pair of median score must still link.
STILL_ONE_EVENT_DAYS = 2
#: The fixed small sample the tests re-fit: the first fit week.
SAMPLE_WEEKS = 1


@dataclass(frozen=True, slots=True)
class Digest:
    """A week's (or the quarter's) profiles and gold labels."""

    profiles: Profiles
    gold: tuple[str, ...]


def digests(weeks: Sequence[Week], index: SearchIndex) -> list[Digest]:
    return [Digest(build_profiles(w.articles, index.tokenizer, index.idf), w.gold) for w in weeks]


def without_dense(profiles: Profiles) -> Profiles:
    return dataclasses.replace(profiles, dense=None)


def labelled_pairs(d: Digest) -> tuple[Pairs, npt.NDArray[np.bool_]]:
    """The digest's candidate pairs, and which of them are one human-made story."""
    pairs = candidate_pairs(d.profiles)
    gold = np.asarray(d.gold)
    return pairs, gold[pairs.left] == gold[pairs.right]


def fit_pairs(items: Sequence[Digest]) -> tuple[tuple[float, ...], float]:
    """Coefficients over ``SIGNALS`` (dense last: 0 when absent) and the intercept."""
    xs, ys = [], []
    for d in items:
        pairs, same = labelled_pairs(d)
        xs.append(pairs.signals)
        ys.append(same.astype(int))
    x, y = np.vstack(xs), np.concatenate(ys)
    used = [k for k, name in enumerate(SIGNALS) if name != "dense" or x[:, k].any()]
    lr = LogisticRegression(C=REGULARISATION, max_iter=2000).fit(x[:, used], y)
    coefficients = [0.0] * len(SIGNALS)
    for k, c in zip(used, lr.coef_[0], strict=True):
        coefficients[k] = round(float(c), 6)
    return tuple(coefficients), round(float(lr.intercept_[0]), 6)


def f1(model: StoryModel, d: Digest) -> float:
    return bcubed(labels(group(d.profiles, model), len(d.gold)), d.gold)[2]


def fit_variant(weeks: Sequence[Digest], whole: Digest) -> StoryModel:
    coefficients, intercept = fit_pairs(weeks)
    base = StoryModel(coefficients, intercept, link_at=0.5, per_day=0.0)

    def weekly(link_at: float) -> float:
        model = StoryModel(coefficients, intercept, link_at, 0.0)
        return float(np.mean([f1(model, d) for d in weeks]))

    link_at = max(LINK_GRID, key=lambda t: (weekly(t), -abs(t - 0.5)))
    median = float(np.median(_same_story_scores(base, weeks)))
    ceiling = max(0.0, (median - link_at) / STILL_ONE_EVENT_DAYS)
    allowed = [p for p in DAY_GRID if p <= ceiling] or [0.0]
    per_day = max(
        allowed, key=lambda p: (f1(StoryModel(coefficients, intercept, link_at, p), whole), -p)
    )
    return StoryModel(coefficients, intercept, link_at, per_day)


def _same_story_scores(model: StoryModel, items: Sequence[Digest]) -> npt.NDArray[np.float64]:
    scores = []
    for d in items:
        pairs, same = labelled_pairs(d)
        scores.append(model.scores(pairs)[same])
    return np.concatenate(scores)


def to_json(model: StoryModel) -> dict[str, object]:
    return {
        "coefficients": dict(zip(SIGNALS, model.coefficients, strict=True)),
        "intercept": model.intercept,
        "link_at": model.link_at,
        "per_day": model.per_day,
    }


def main() -> None:
    yardstick = load_weeks()
    weeks = yardstick.weeks
    fit_weeks = [w for w in weeks if w.split == "fit"]
    dense_weeks = digests(fit_weeks, yardstick.index)
    dense_whole = digests([quarter(weeks, "fit")], yardstick.index)[0]
    variants: dict[str, object] = {}
    checks: dict[str, object] = {}
    for name, strip in (("dense", False), ("terms", True)):
        items = (
            [Digest(without_dense(d.profiles), d.gold) for d in dense_weeks]
            if strip
            else dense_weeks
        )
        whole = (
            Digest(without_dense(dense_whole.profiles), dense_whole.gold) if strip else dense_whole
        )
        model = fit_variant(items, whole)
        variants[name] = to_json(model)
        coefficients, intercept = fit_pairs(items[:SAMPLE_WEEKS])
        checks[name] = {
            "coefficients": dict(zip(SIGNALS, coefficients, strict=True)),
            "intercept": intercept,
        }
        print(name, variants[name], flush=True)
    WEIGHTS.write_text(
        json.dumps(
            {
                "fitted_by": "bench/fit_stories.py",
                "fitted_on": "../shared/bench/stories-dev (fit weeks)",
                "variants": variants,
                "sample_fit": checks,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {WEIGHTS}")


if __name__ == "__main__":
    main()
