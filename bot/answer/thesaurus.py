"""Words people ask with, mapped to the words articles use.

Questions say "ship" or "max length" where articles say "released" or "up to
15 seconds". Each group is a set of interchangeable words in AI news; a query
term counts as covered when a passage holds any word of its groups.
"""

from __future__ import annotations

from collections.abc import Callable

_GROUPS = (
    "release releases released launch launched ship shipped unveil unveiled introduce "
    "introduced debut debuted announce announced rollout drop dropped make",
    "length long duration seconds",
    "price prices cost costs pricing cheap expensive fee",
    "size big parameter parameters params",
    "company companies firm firms lab labs maker makers developer developers",
    "video videos clip clips",
    "make build create",
    "rise soar surge jump climb gain grow growth",
    "record records set",
    "beat beats surpass surpasses outperform outperforms rival rivals exceed top",
    "chip chips semiconductor semiconductors processor processors",
    "stock stocks share shares",
    "robot robots robotics robotic embodied",
    "voice voices audio speech",
    "subsidy subsidies fund funds funding invest investment",
    "benchmark benchmarks record records test tests",
    "free open",
    "paid subscriber subscribers subscription",
)

Tokenize = Callable[[str], list[str]]


def build_thesaurus(tokenize: Tokenize) -> dict[str, frozenset[str]]:
    """Maps each index term of a group word to every index term of its groups."""
    expansions: dict[str, set[str]] = {}
    for group in _GROUPS:
        terms = {t for word in group.split() for t in tokenize(word)}
        for term in terms:
            expansions.setdefault(term, set()).update(terms)
    return {term: frozenset(group) for term, group in expansions.items()}
