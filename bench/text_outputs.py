"""Fingerprints of everything the text pipeline produces, to prove a speed-up changed none of it.

For each corpus it loads the articles with ``load_corpus`` (or, for stories-dev,
builds them the way ``bench/story_data.py`` does), cuts passages and runs the
tokenizer, ``Tokenizer.groups`` and ``surface_words`` over every title, heading
and passage as ``build_index`` does; questions are tokenized too. Each part
(articles, warnings, passages, terms, groups, surface words) is hashed with
sha256 and the hashes are written as JSON; ``--compare`` reads another run's
JSON and fails on any difference.

Usage::

    git archive HEAD | tar -x -C /tmp/orig          # the code before a change
    python bench/text_outputs.py --checkout /tmp/orig --out /tmp/before.json
    python bench/text_outputs.py --compare /tmp/before.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.models import Article
    from bot.text.tokenize import Tokenizer

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"
CORPORA = {
    "seeds": ROOT / "seeds",
    "squad-dev": SHARED / "squad-dev" / "corpus.jsonl",
    "scifact": SHARED / "scifact" / "corpus.jsonl",
    "stories-dev": SHARED / "stories-dev" / "allsides_2021q2.jsonl",
}
QUESTIONS = {
    "squad-dev questions": (SHARED / "squad-dev" / "questions.jsonl", "question"),
    "scifact queries": (SHARED / "scifact" / "queries.jsonl", "text"),
    "team chat questions": (ROOT / "bench" / "data" / "team_chat_questions.jsonl", "question"),
}


class Digests:
    """One running sha256 per part, fed with the ``repr`` of each item."""

    def __init__(self) -> None:
        self.parts: dict[str, Any] = {}
        self.counts: dict[str, int] = {}

    def add(self, part: str, item: object) -> None:
        if part not in self.parts:
            self.parts[part] = hashlib.sha256()
            self.counts[part] = 0
        self.parts[part].update(repr(item).encode("utf-8", "surrogatepass") + b"\n")
        self.counts[part] += 1

    def result(self) -> dict[str, str]:
        return {f"{p} ({self.counts[p]:,})": h.hexdigest() for p, h in self.parts.items()}


def fingerprint_articles(articles: Iterable[Article], tokenizers: list[Tokenizer]) -> Digests:
    """Hashes the articles and what ``build_index`` makes of them."""
    from bot.search.passages import article_passages
    from bot.text.tokenize import surface_words

    out = Digests()
    for article in articles:
        out.add("articles", article)
        cut = list(article_passages(article))
        out.add("passages", cut)
        texts = [article.title] + [t for heading, text in cut for t in (heading or "", text)]
        # build_index's order: a text's terms, then its surface words.
        pairs = [(tokenizers[0](t), surface_words(t)) for t in texts]
        out.add("terms0", [terms for terms, _ in pairs])
        out.add("surface words", [words for _, words in pairs])
        out.add("groups0", [tokenizers[0].groups(t) for t in texts])
        for n, tokenizer in enumerate(tokenizers[1:], 1):
            out.add(f"terms{n}", [tokenizer(t) for t in texts])
            out.add(f"groups{n}", [tokenizer.groups(t) for t in texts])
    return out


def fingerprint_texts(texts: Iterable[str], tokenizers: list[Tokenizer]) -> Digests:
    """Hashes the terms, groups and surface words of each text."""
    from bot.text.tokenize import surface_words

    out = Digests()
    for text in texts:
        for n, tokenizer in enumerate(tokenizers):
            out.add(f"terms{n}", tokenizer(text))
            out.add(f"groups{n}", tokenizer.groups(text))
        out.add("surface words", surface_words(text))
        out.add("surface words alone", surface_words(text + " "))  # not the text split last
    return out


def story_articles(path: Path) -> Iterator[Article]:
    """The articles as ``bench/story_data.py`` builds them (no loader)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from story_data import story_article

    for line in path.open(encoding="utf-8"):
        yield story_article(json.loads(line))


def run(synthetic: list[Path]) -> dict[str, dict[str, str]]:
    """Every corpus's and question set's fingerprints."""
    from bot.corpus.loader import load_corpus
    from bot.text.tokenize import Tokenizer

    results: dict[str, dict[str, str]] = {}
    corpora = {**CORPORA, **{str(p): p for p in synthetic}}
    for name, path in corpora.items():
        started = time.perf_counter()
        # A fresh tokenizer per corpus (and one without stemming), as a fresh build has.
        tokenizers = [Tokenizer(), Tokenizer(stem=False)]
        loaded = load_corpus(path)
        digests = fingerprint_articles(loaded.articles, tokenizers)
        for warning in loaded.warnings:
            digests.add("warnings", warning)
        results[name] = digests.result()
        print(f"{name}: {len(loaded.articles):,} articles, {time.perf_counter() - started:.1f} s")
    stories = CORPORA["stories-dev"]
    results["stories-dev as story_data builds it"] = fingerprint_articles(
        story_articles(stories), [Tokenizer()]
    ).result()
    for name, (path, field) in QUESTIONS.items():
        texts = [json.loads(line)[field] for line in path.open(encoding="utf-8")]
        results[name] = fingerprint_texts(texts, [Tokenizer()]).result()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("synthetic", type=Path, nargs="*", help="more corpora (directories)")
    parser.add_argument("--checkout", type=Path, default=ROOT, help="teambot source tree to run")
    parser.add_argument("--out", type=Path, help="write the fingerprints here (JSON)")
    parser.add_argument("--compare", type=Path, help="fail unless equal to this earlier --out")
    args = parser.parse_args()
    sys.path.insert(0, str(args.checkout.resolve()))
    results = run(args.synthetic)
    for name, parts in results.items():
        print(name)
        for part, digest in parts.items():
            print(f"  {part:28} {digest}")
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))
    if args.compare:
        before = json.loads(args.compare.read_text())
        if before != results:
            differ = [n for n in set(before) | set(results) if before.get(n) != results.get(n)]
            print(f"DIFFERENT from {args.compare}: {', '.join(sorted(differ))}")
            return 1
        print(f"identical to {args.compare}: {len(results)} sets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
