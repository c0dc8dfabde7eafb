"""B-cubed precision, recall and F1, and the adjusted Rand index, of a grouping."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from math import comb


def labels(groups: Sequence[Sequence[int]], size: int) -> list[int]:
    """Each of ``size`` items' group number, from groups of item positions."""
    out = [0] * size
    for n, members in enumerate(groups):
        for i in members:
            out[i] = n
    return out


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed (precision, recall, F1): per item, the share of its predicted group
    that is in its gold group, and the share of its gold group found with it."""
    if not gold:
        return 1.0, 1.0, 1.0
    in_predicted, in_gold = Counter(predicted), Counter(gold)
    both = Counter(zip(predicted, gold, strict=True))
    precision = sum(both[(p, g)] / in_predicted[p] for p, g in zip(predicted, gold, strict=True))
    recall = sum(both[(p, g)] / in_gold[g] for p, g in zip(predicted, gold, strict=True))
    precision, recall = precision / len(gold), recall / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def adjusted_rand(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> float:
    """The adjusted Rand index: pair agreement, 0 for chance, 1 for identical groupings."""
    n = len(gold)
    if n < 2:
        return 1.0
    both = sum(comb(c, 2) for c in Counter(zip(predicted, gold, strict=True)).values())
    rows = sum(comb(c, 2) for c in Counter(predicted).values())
    columns = sum(comb(c, 2) for c in Counter(gold).values())
    expected = rows * columns / comb(n, 2)
    best = (rows + columns) / 2
    return 1.0 if best == expected else (both - expected) / (best - expected)
