"""Per-article cost of building an index, stage by stage (issue 11, "scale").

Times, on a corpus directory or file, what ``build_index`` does before the
engine: ``load_corpus`` (reading and parsing), ``article_passages`` (cutting
passages), the ``Tokenizer`` over each passage's title, heading and text (as
``build_index`` calls it), ``surface_words`` over titles and passages, and the
last two interleaved in ``build_index``'s order (each text's terms, then its
surface words). Each stage runs on the previous stage's output; with
``--repeat`` each runs that many times (a fresh ``Tokenizer`` each time) and the
best time is shown. Prints seconds and microseconds per article.

Usage: ``python bench/tokenize_speed.py CORPUS [--checkout DIR] [--repeat N]``
(``--checkout`` times another source tree, e.g. the original code from
``git archive HEAD | tar -x -C /tmp/orig``). Make a corpus with
``bench/synthetic.py``'s ``write_corpus``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("load", "passages", "tokenize", "surface", "build")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a corpus directory or file")
    parser.add_argument("--checkout", type=Path, default=ROOT, help="teambot source tree to time")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each stage; best shown")
    parser.add_argument(
        "--stages", default=",".join(STAGES), help=f"comma-separated, of {','.join(STAGES)}"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(args.checkout.resolve()))
    from bot.corpus.loader import load_corpus
    from bot.search.passages import article_passages
    from bot.text.tokenize import Tokenizer, surface_words

    stages = args.stages.split(",")
    print(f"{args.corpus} ({args.checkout})")
    articles = timed("load_corpus", lambda: load_corpus(args.corpus).articles, args, "load")
    n = len(articles)
    print(f"  {n:,} articles")

    def cut() -> list[tuple[str, list[tuple[str | None, str]]]]:
        return [(a.title, list(article_passages(a))) for a in articles]

    passages = timed("article_passages", cut, args, "passages", n)
    print(f"  {sum(len(c) for _, c in passages):,} passages")

    def tokenize() -> int:
        tokenizer, terms = Tokenizer(), 0
        for title, cut in passages:
            title_terms = tokenizer(title)
            for heading, text in cut:
                terms += len(title_terms + tokenizer(heading or "") + tokenizer(text))
        return terms

    def surface() -> int:
        words = 0
        for title, cut in passages:
            words += len(surface_words(title))
            for _, text in cut:
                words += len(surface_words(text))
        return words

    def build() -> int:
        tokenizer, terms = Tokenizer(), 0
        for title, cut in passages:
            title_terms = tokenizer(title)
            terms += len(surface_words(title))
            for heading, text in cut:
                terms += len(title_terms + tokenizer(heading or "") + tokenizer(text))
                terms += len(surface_words(text))
        return terms

    for stage, name, work in (
        ("tokenize", "tokenize", tokenize),
        ("surface", "surface_words", surface),
        ("build", "both, build order", build),
    ):
        if stage in stages:
            count = timed(name, work, args, stage, n)
            print(
                f"  {count:,} {dict(surface='words', build='terms and words').get(stage, 'terms')}"
            )


def timed(
    name: str, work: Callable[[], Any], args: argparse.Namespace, stage: str, n: int = 0
) -> Any:
    """Runs ``work`` (``--repeat`` times when its stage is chosen) and prints the best time."""
    repeat = args.repeat if stage in args.stages.split(",") else 1
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    if stage in args.stages.split(","):
        count = n or len(result or ())
        print(f"{name:20} {best:8.2f} s  {best / max(count, 1) * 1e6:8.1f} µs/article")
    return result


if __name__ == "__main__":
    main()
