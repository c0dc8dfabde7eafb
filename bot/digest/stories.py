"""Groups articles about the same events into stories, and summarises each.

Two articles are about the same story when their vocabularies overlap (cosine
of idf-weighted term vectors) or when they name the same distinctive products
("RynnBrain", "Seedance 2.0"). Groups are built with single linkage over pairs
that clear ``SAME_STORY``, which joins several reports of the same week even
when one of them only overlaps with another.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.models import ArticleRef, Story
from bot.text.entities import named_entities
from bot.text.sentences import split_sentences

SAME_STORY = 0.35
PROFILE_TERMS = 40  # an article's most salient terms: enough to tell stories apart
BLOCK_TERMS = 10  # only articles sharing one of these (or a product) are compared
SUMMARY_SENTENCES = 3
MAX_ENTITIES = 8
_DISTINCTIVE = re.compile(r"\d|[a-z][A-Z]")


@dataclass(frozen=True, slots=True)
class DigestArticle:
    """An article entering a digest, with its text and when teambot first saw it."""

    ref: ArticleRef
    passages: tuple[str, ...]
    first_seen: datetime


@dataclass(frozen=True, slots=True)
class _Profile:
    article: DigestArticle
    vector: dict[str, float]
    names: tuple[str, ...]
    products: frozenset[str]


Tokenize = Callable[[str], list[str]]
Idf = Callable[[str], float]


def build_stories(
    articles: Sequence[DigestArticle], tokenize: Tokenize, idf: Idf
) -> tuple[Story, ...]:
    """The stories among ``articles``, heaviest first (more sources, then more recent)."""
    profiles = [_profile(a, tokenize, idf) for a in articles]
    groups = _group(profiles)
    stories = [_story(group, tokenize, idf) for group in groups]
    return tuple(s for _, s in sorted(zip(groups, stories, strict=True), key=_weight))


def similarity(a: _Profile, b: _Profile) -> float:
    """How alike two articles are, 0 to 1."""
    shared = a.products & b.products
    products = len(shared) / max(1, min(len(a.products), len(b.products))) if shared else 0.0
    return max(_cosine(a.vector, b.vector), products if len(shared) >= 2 else 0.0)


def _profile(article: DigestArticle, tokenize: Tokenize, idf: Idf) -> _Profile:
    text = "\n".join(article.passages)
    counts = Counter(tokenize(f"{article.ref.title}\n{text}"))
    weighted = sorted(((1 + math.log(c)) * idf(t), t) for t, c in counts.items())
    vector = {t: w for w, t in weighted[-PROFILE_TERMS:]}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    names = tuple(named_entities(text, limit=20))
    products = frozenset(n.lower() for n in names if _DISTINCTIVE.search(n))
    return _Profile(article, {t: v / norm for t, v in vector.items()}, names, products)


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _group(profiles: list[_Profile]) -> list[list[_Profile]]:
    parent = list(range(len(profiles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in _candidate_pairs(profiles):
        if root(i) != root(j) and similarity(profiles[i], profiles[j]) >= SAME_STORY:
            parent[root(j)] = root(i)
    groups: dict[int, list[_Profile]] = {}
    for i, profile in enumerate(profiles):
        groups.setdefault(root(i), []).append(profile)
    return list(groups.values())


def _candidate_pairs(profiles: list[_Profile]) -> list[tuple[int, int]]:
    """Pairs that share a salient term or product name (blocking), so a digest
    of thousands of articles compares a few pairs each, not every pair."""
    blocks: dict[str, list[int]] = {}
    for i, p in enumerate(profiles):
        salient = sorted(p.vector, key=p.vector.__getitem__, reverse=True)[:BLOCK_TERMS]
        for key in (*salient, *(f"product:{name}" for name in p.products)):
            blocks.setdefault(key, []).append(i)
    too_common = max(50, len(profiles) // 20)  # a key most articles share says nothing
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) <= too_common:
            pairs.update((a, b) for n, a in enumerate(members) for b in members[n + 1 :])
    return sorted(pairs)


def _story(group: list[_Profile], tokenize: Tokenize, idf: Idf) -> Story:
    lead = _lead(group)
    centroid: Counter[str] = Counter()
    for p in group:
        centroid.update(p.vector)
    ordered = [lead] + [p for p in _by_date(group) if p is not lead]
    return Story(
        headline=lead.article.ref.title,
        summary=_summary(ordered, centroid, tokenize, idf),
        entities=_entities(group),
        articles=tuple(p.article.ref for p in ordered),
    )


def _lead(group: list[_Profile]) -> _Profile:
    """The article most like the others, preferring one with a real title."""

    def centrality(p: _Profile) -> tuple[bool, float]:
        closeness = sum(similarity(p, q) for q in group if q is not p)
        return (not p.article.ref.generated_title, closeness)

    return max(group, key=centrality)


def _by_date(group: list[_Profile]) -> list[_Profile]:
    return sorted(group, key=lambda p: p.article.ref.published or p.article.first_seen.date())


def _summary(ordered: list[_Profile], centroid: Counter[str], tokenize: Tokenize, idf: Idf) -> str:
    """Up to three sentences most central to the story, lead article's opening first."""
    candidates: list[tuple[float, int, str, set[str]]] = []
    for rank, profile in enumerate(ordered):
        for position, sentence in enumerate(_opening_sentences(profile.article.passages)):
            words = len(sentence.split())
            if not 8 <= words <= 60:
                continue
            terms = set(tokenize(sentence))
            score = sum(centroid.get(t, 0.0) for t in terms) / math.sqrt(len(terms) or 1)
            score *= 1.15 if position < 2 else 1.0  # news puts the point first
            score *= 1.1 if rank == 0 else 1.0
            candidates.append((score, len(candidates), sentence, terms))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    chosen: list[tuple[int, str, set[str]]] = []
    for _, order, sentence, terms in candidates:
        if any(len(terms & t) / max(1, min(len(terms), len(t))) > 0.5 for _, _, t in chosen):
            continue
        chosen.append((order, sentence, terms))
        if len(chosen) == SUMMARY_SENTENCES:
            break
    return " ".join(sentence for _, sentence, _ in sorted(chosen, key=lambda c: c[0]))


def _opening_sentences(passages: Sequence[str], limit: int = 12) -> list[str]:
    sentences: list[str] = []
    for passage in passages:
        sentences.extend(split_sentences(passage))
        if len(sentences) >= limit:
            break
    return sentences[:limit]


def _entities(group: list[_Profile]) -> tuple[str, ...]:
    """Names mentioned across the story, by how many of its articles name them."""
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    spelled: dict[str, str] = {}
    for p in group:
        for rank, name in enumerate(p.names[:12]):
            key = name.lower()
            counts[key] += 1
            first_seen.setdefault(key, rank)
            spelled.setdefault(key, name)
    ranked = sorted(counts, key=lambda k: (-counts[k], first_seen[k]))
    return tuple(spelled[k] for k in ranked[:MAX_ENTITIES])


def _weight(item: tuple[list[_Profile], Story]) -> tuple[int, float]:
    group, _ = item
    latest = max(
        datetime.combine(p.article.ref.published, datetime.min.time()).timestamp()
        if p.article.ref.published
        else p.article.first_seen.timestamp()
        for p in group
    )
    return (-len(group), -latest)
