"""Which articles of a digest are one story.

1. Copies and light rewrites of one report are one story, whatever follows
   (``neardup``); the rest works on one representative of each.
2. Candidate pairs and their signals (``pairs``): term profile, title, names
   rare in the digest, semantic vector.
3. A logistic model fitted on human-grouped news (``bench/fit_stories.py`` on
   ``../shared/bench/stories-dev``) turns the signals into the chance that two
   reports are about one event; each day between them takes ``per_day`` off it,
   so an ongoing topic splits into its events.
4. Average linkage merges groups while their mean pair score clears ``link_at``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from bot.digest.linkage import average_linkage
from bot.digest.neardup import near_duplicate_groups
from bot.digest.pairs import SIGNALS, Pairs, candidate_pairs
from bot.digest.profiles import Profiles


@dataclass(frozen=True, slots=True)
class StoryModel:
    """Fitted pair coefficients (over ``SIGNALS``) and linkage thresholds."""

    coefficients: tuple[float, ...]
    intercept: float
    link_at: float
    per_day: float

    def scores(self, pairs: Pairs) -> npt.NDArray[np.float64]:
        """Each pair's same-story chance less its time penalty."""
        logits = pairs.signals @ np.asarray(self.coefficients) + self.intercept
        chance: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-logits))
        return chance - self.per_day * pairs.days


@cache
def story_model(variant: str) -> StoryModel:
    """The fitted model for ``dense`` (with semantic vectors) or ``terms`` (without)."""
    text = resources.files("bot.digest").joinpath("weights.json").read_text(encoding="utf-8")
    fitted = json.loads(text)["variants"][variant]
    coefficients = tuple(float(fitted["coefficients"][name]) for name in SIGNALS)
    return StoryModel(
        coefficients=coefficients,
        intercept=float(fitted["intercept"]),
        link_at=float(fitted["link_at"]),
        per_day=float(fitted["per_day"]),
    )


def group(profiles: Profiles, model: StoryModel | None = None) -> list[list[int]]:
    """The stories among ``profiles`` as lists of article positions."""

    def days_apart(i: int, j: int) -> float:
        return float(profiles.days_apart(np.array([i]), np.array([j]))[0])

    copies = near_duplicate_groups(["\n".join(a.passages) for a in profiles.articles], days_apart)
    leads = [members[0] for members in copies]
    units = profiles.subset(leads)
    if model is None:
        model = story_model("dense" if units.dense is not None else "terms")
    pairs = candidate_pairs(units)
    scores = model.scores(pairs)
    clusters = average_linkage(
        len(units),
        zip(pairs.left.tolist(), pairs.right.tolist(), scores.tolist(), strict=True),
        model.link_at,
    )
    return [sorted(i for unit in cluster for i in copies[unit]) for cluster in clusters]
