"""Story grouping on ``../shared/bench/stories-dev``: B-cubed P/R/F1 and ARI per
weekly digest (fit and held weeks apart) and over the whole quarter as one
digest, beside two baselines:

- every article alone;
- TF-IDF cosine (scikit-learn, title + text) with average linkage, its threshold
  picked on the same labelled data (the best over a grid: an optimistic baseline).

Usage: ``python bench/stories.py [--models off]``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.story_data import Week, load_weeks, quarter  # noqa: E402
from bench.story_metrics import adjusted_rand, bcubed, labels  # noqa: E402
from bot.digest.grouping import group  # noqa: E402
from bot.digest.linkage import average_linkage  # noqa: E402
from bot.digest.profiles import build_profiles  # noqa: E402
from bot.search.index import SearchIndex  # noqa: E402

Grouper = Callable[[Week], list[list[int]]]
TFIDF_GRID = tuple(round(0.02 * k, 2) for k in range(1, 40))


def score(grouper: Grouper, weeks: Sequence[Week]) -> tuple[float, float, float, float]:
    """Mean B-cubed precision, recall, F1 and ARI over ``weeks``."""
    rows = []
    for week in weeks:
        predicted = labels(grouper(week), len(week.gold))
        rows.append((*bcubed(predicted, week.gold), adjusted_rand(predicted, week.gold)))
    p, r, f, ari = np.mean(np.asarray(rows), axis=0)
    return float(p), float(r), float(f), float(ari)


def teambot(index: SearchIndex) -> Grouper:
    return lambda week: group(build_profiles(week.articles, index.tokenizer, index.idf))


def alone(week: Week) -> list[list[int]]:
    return [[i] for i in range(len(week.articles))]


def tfidf(threshold: float) -> Grouper:
    def run(week: Week) -> list[list[int]]:
        texts = [f"{a.ref.title}\n" + "\n".join(a.passages) for a in week.articles]
        vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
        similarity = (vectors @ vectors.T).toarray()
        n = len(texts)
        pairs = ((i, j, float(similarity[i, j])) for i in range(n) for j in range(i + 1, n))
        return average_linkage(n, pairs, threshold)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="bundled", help="bundled (default) or off")
    args = parser.parse_args()
    yardstick = load_weeks(models=args.models)
    weeks = list(yardstick.weeks)
    sets = {
        "weekly, fit weeks": [w for w in weeks if w.split == "fit"],
        "weekly, held weeks": [w for w in weeks if w.split == "held"],
        "weekly, all weeks": weeks,
        "quarter, one digest": [quarter(weeks)],
    }
    best = max(TFIDF_GRID, key=lambda t: score(tfidf(t), weeks)[2])
    groupers: dict[str, Grouper] = {
        f"teambot (models {args.models})": teambot(yardstick.index),
        "every article alone": alone,
        f"TF-IDF average linkage (threshold {best}, picked on all weeks)": tfidf(best),
    }
    print(f"stories-dev: {sum(len(w.gold) for w in weeks)} articles, {len(weeks)} weeks")
    for set_name, chosen in sets.items():
        print(f"\n{set_name} ({len(chosen)} digests, {sum(len(w.gold) for w in chosen)} articles)")
        print(f"  {'':62} {'P':>6} {'R':>6} {'F1':>6} {'ARI':>6}")
        for name, grouper in groupers.items():
            p, r, f, ari = score(grouper, chosen)
            print(f"  {name:62} {p:6.3f} {r:6.3f} {f:6.3f} {ari:6.3f}")


if __name__ == "__main__":
    main()
