"""Digest time and memory on news-like synthetic articles that share names.

Stories of 1-10 articles each; the articles of a story share its event words
and rewrite them in their own mix of common words, and every article also names
companies and models from one shared pool, so names alone link many stories
(the case that once chained a whole digest into one story). One story in
``COPIES_EVERY`` is 120 near-identical copies of one report (one name changed).

Usage: ``python bench/digest_speed.py [2000 20000 ...] [--models off]``; each size
runs in its own process so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.story_metrics import bcubed  # noqa: E402
from bench.synthetic import vocabulary  # noqa: E402
from bot.digest.builder import build_digest  # noqa: E402
from bot.digest.window import whole_days  # noqa: E402
from bot.embed.lazy import LazyModel  # noqa: E402
from bot.models import Article, Section  # noqa: E402
from bot.search.index import build_index  # noqa: E402
from bot.text.tokenize import Tokenizer  # noqa: E402

COMPANIES = 60
MODELS = 140
COPIES = 120


def articles(count: int, seed: int = 5) -> tuple[list[Article], list[int]]:
    """``count`` articles in stories over one week, and each one's generated story."""
    rng = random.Random(seed)
    vocab = vocabulary(20_000, rng)
    common, rare = vocab[:2000], vocab[2000:]
    companies = [
        w.capitalize() + rng.choice(["AI", "Labs", "Tech", ""]) for w in rng.sample(rare, COMPANIES)
    ]
    models = [
        f"{rng.choice(companies)} {w.capitalize()}-{rng.randint(1, 9)}"
        for w in rng.sample(rare, MODELS)
    ]
    out: list[Article] = []
    story_of: list[int] = []
    stories = 0
    start = date(2026, 3, 2)
    while len(out) < count:
        stories += 1
        event = rng.sample(rare, 12)
        names = rng.sample(companies, 2) + rng.sample(models, 2)
        day = start + timedelta(days=rng.randrange(7))
        copies = COPIES if stories == 1 else 0
        size = copies or rng.randint(1, 10)
        template = None
        for _ in range(min(size, count - len(out))):
            if template is not None:
                text = template.replace(names[0], rng.choice(companies), 1)
            else:
                text = _report(rng, event, names, common, companies)
                template = text if copies else None
            n = len(out)
            story_of.append(stories)
            out.append(
                Article(
                    id=f"a{n:06d}",
                    title=" ".join(rng.sample(event, 3) + rng.sample(common, 3)).title(),
                    sections=(Section(None, tuple(text.split("\n\n"))),),
                    published=day + timedelta(days=rng.choice([0, 0, 0, 1])),
                )
            )
    return out, story_of


def _report(
    rng: random.Random, event: list[str], names: list[str], common: list[str], pool: list[str]
) -> str:
    paragraphs = []
    for _ in range(rng.randint(4, 8)):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            words = rng.choices(common, k=rng.randint(8, 18)) + rng.sample(event, 3)
            words.insert(rng.randrange(len(words)), rng.choice(names + [rng.choice(pool)]))
            rng.shuffle(words)
            sentences.append(" ".join(words).capitalize() + ".")
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def run_one(count: int, models: str) -> None:
    corpus, story_of = articles(count)
    static = LazyModel(models, "static")
    started = time.perf_counter()
    index = build_index(
        corpus, "bm25", Tokenizer(), embedder=static.get(), embed_ident=static.ident()
    )
    indexed = time.perf_counter() - started
    utc = ZoneInfo("UTC")
    seen = datetime(2026, 3, 9, tzinfo=utc)
    first_seen = {a.article_id: seen for a in index.articles}
    window = whole_days(date(2026, 3, 1), date(2026, 3, 10), utc)
    started = time.perf_counter()
    digest = build_digest(index, first_seen, window, utc)
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found = {a.article_id: n for n, s in enumerate(digest.stories) for a in s.articles}
    f1 = bcubed([found[a.id] for a in corpus], story_of)[2]
    copies = {found[a.id] for a, story in zip(corpus, story_of, strict=True) if story == 1}
    print(
        f"{count:>7} articles ({len(set(story_of))} generated stories): digest {took:6.2f} s, "
        f"{len(digest.stories)} stories (B-cubed F1 {f1:.3f}; the {COPIES} copies in "
        f"{len(copies)}); index {indexed:5.1f} s; "
        f"peak memory {peak:,.0f} MiB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[2000, 5000, 10000, 20000])
    parser.add_argument("--models", default="bundled")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.sizes[0], args.models)
        return
    for size in args.sizes:
        cmd = [sys.executable, __file__, str(size), "--models", args.models, "--one"]
        subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
