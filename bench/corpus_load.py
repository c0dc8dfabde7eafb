"""Corpus loading time on very long articles and on text that once took quadratic time.

A 10 MB article of ordinary prose (the bundled seeds' sentences, shuffled into
new paragraphs so that none repeats), once as paragraphs and once as one line,
then the inputs issue 10 found slow. Each is loaded by ``load_corpus`` from a
directory holding just that file; the prose is also cut into passages and
tokenized, the next steps of building an index. Prints figures; asserts nothing.

Usage: ``python bench/corpus_load.py [--mb 10] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.corpus.loader import load_corpus  # noqa: E402
from bot.models import Article  # noqa: E402
from bot.search.passages import article_passages  # noqa: E402
from bot.settings import BUNDLED_SEEDS  # noqa: E402
from bot.text.sentences import split_sentences  # noqa: E402
from bot.text.tokenize import Tokenizer  # noqa: E402

TARGET_SECONDS = 3.0  # issue 10: a 10 MB article of ordinary prose loads in 3 s or less

# The inputs issue 10 reported, at the sizes it reported (and what they took then).
PATHOLOGICAL = (
    ("one word per line, 200 KB", "word\n", 200_000, "28 s"),
    ("'*a ' repeated, 30 KB", "*a ", 30_000, "12 s"),
    ("'[a ' repeated, 120 KB", "[a ", 120_000, "over a minute"),
)


def prose(size: int, *, one_line: bool, seed: int = 10) -> str:
    """About ``size`` bytes of the seeds' sentences in shuffled paragraphs of 3-6."""
    seeds = load_corpus(BUNDLED_SEEDS).articles
    paragraphs = [p for article in seeds for part in article.sections for p in part.paragraphs]
    sentences = [s for p in paragraphs for s in split_sentences(p)]
    rng = random.Random(seed)
    out: list[str] = ["A Very Long Article"]
    total = 0
    while total < size:
        paragraph = " ".join(rng.sample(sentences, rng.randint(3, 6)))
        out.append(paragraph)
        total += len(paragraph.encode()) + 2
    return " ".join(out[1:]) if one_line else "\n\n".join(out)


def timed(work: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The best of ``repeat`` runs, in seconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def load_one(text: str, folder: Path) -> Article:
    """Writes ``text`` as the only file of ``folder`` and loads it."""
    path = folder / "article.txt"
    path.write_text(text)
    (article,) = load_corpus(folder).articles
    return article


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="size of the long article")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best is shown")
    args = parser.parse_args()
    tokenizer = Tokenizer()
    size = int(args.mb * 1_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("| article | load_corpus | passages | tokens |")
        print("| --- | --- | --- | --- |")
        for shape, one_line in (("paragraphs", False), ("one line", True)):
            text = prose(size, one_line=one_line)
            load, article = timed(lambda text=text: load_one(text, folder), args.repeat)
            assert isinstance(article, Article)
            cut, passages = timed(lambda a=article: list(article_passages(a)), args.repeat)
            assert isinstance(passages, list)
            tokens, _ = timed(lambda p=passages: [tokenizer(t) for _, t in p], 1)
            label = f"{len(text.encode()) / 1e6:.1f} MB prose, {shape}"
            verdict = "met" if load <= TARGET_SECONDS else "MISSED"
            print(
                f"| {label} | {load:.2f} s ({verdict}: ≤ {TARGET_SECONDS:.0f} s) "
                f"| {cut:.2f} s ({len(passages):,}) | {tokens:.2f} s |"
            )
        for label, unit, length, before in PATHOLOGICAL:
            text = (unit * (length // len(unit) + 1))[:length]
            load, _ = timed(lambda text=text: load_corpus(_write(folder, text)), args.repeat)
            print(f"| {label} (was {before}) | {load:.3f} s | | |")


def _write(folder: Path, text: str) -> Path:
    (folder / "article.txt").write_text(text)
    return folder


if __name__ == "__main__":
    main()
