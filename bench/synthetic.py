"""A synthetic news corpus: Zipf-distributed vocabulary, ~600-word articles."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

SYLLABLES = "ka lo mi nu pe ra si to vu xe ba de fi go hu ja ke li mo ny".split()


def vocabulary(size: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
    return sorted(words)


def write_corpus(
    root: Path, articles: int, words_per_article: int = 600, seed: int = 7
) -> list[str]:
    """Writes ``articles`` .txt files under ``root``; returns the vocabulary (by frequency)."""
    rng = random.Random(seed)
    vocab = vocabulary(30_000, rng)
    weights = [1 / (rank + 1) ** 1.07 for rank in range(len(vocab))]
    cumulative: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    root.mkdir(parents=True, exist_ok=True)
    start = date(2026, 1, 1)
    for n in range(articles):
        words = rng.choices(vocab, cum_weights=cumulative, k=words_per_article)
        words[rng.randrange(len(words))] = f"Model-{n % 997}"
        paragraphs, i = [], 0
        while i < len(words):
            sentences = []
            for _ in range(rng.randint(2, 5)):
                length = rng.randint(8, 24)
                chunk = words[i : i + length]
                i += length
                if chunk:
                    sentences.append(" ".join(chunk).capitalize() + ".")
            paragraphs.append(" ".join(sentences))
        title = " ".join(rng.choices(vocab[:3000], k=rng.randint(5, 9))).title()
        day = start + timedelta(days=n % 300)
        body = f"{title}\n\n{day:%B} {day.day}, {day.year}\n\n" + "\n\n".join(paragraphs) + "\n"
        (root / f"{n:06d}.txt").write_text(body)
    return vocab


def queries(vocab: list[str], count: int, seed: int = 11) -> list[str]:
    """Questions of 2-5 content words drawn from the common-to-mid-frequency vocabulary."""
    rng = random.Random(seed)
    return [" ".join(rng.sample(vocab[50:8000], rng.randint(2, 5))) for _ in range(count)]
