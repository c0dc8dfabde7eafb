"""How much two bags of words overlap: the measures the answer's features and the
digest's near-duplicate test use. Pure functions over token sets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from typing import Protocol


class Weighted(Protocol):
    """A weighted term that knows whether a token set holds it (``answer.question.Term``)."""

    @property
    def weight(self) -> float: ...

    def found_in(self, tokens: frozenset[str]) -> bool: ...


def share(terms: Sequence[Weighted], tokens: frozenset[str]) -> float:
    """The weighted share of ``terms`` that ``tokens`` hold (0 when no term weighs anything).

    Args:
        terms: the question's terms, each with its weight (idf: a rare word counts more).
        tokens: a sentence's tokens.

    Returns:
        The held terms' weight over all terms' weight, from 0 to 1.
    """
    total = sum(t.weight for t in terms)
    return sum(t.weight for t in terms if t.found_in(tokens)) / total if total else 0.0


def missing(terms: Sequence[Weighted], tokens: frozenset[str]) -> float:
    """The weight of the heaviest term ``tokens`` lack, over the heaviest term's: 1 when
    the rarest word asked about is absent, 0 when every term is held (or none weighs)."""
    top = max((t.weight for t in terms), default=0.0)
    gone = max((t.weight for t in terms if not t.found_in(tokens)), default=0.0)
    return gone / top if top else 0.0


def novelty(tokens: Set[str], known: Iterable[str]) -> float:
    """The share of ``tokens`` not among ``known``: what a sentence adds to a question
    (1 for no tokens in common, and for no tokens at all)."""
    return 1.0 - len(tokens & set(known)) / max(1, len(tokens))


def jaccard(a: Set[object], b: Set[object]) -> float:
    """|a ∩ b| / |a ∪ b|: 1 for equal sets, 0 for disjoint ones (and for two empty ones)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0
