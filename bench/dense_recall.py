"""How often hybrid search's candidates give the exact fused top 10, on real text.

``Retriever.passages`` computes the exact cosine only for candidates chosen with
sign codes (``bot.search.codes``). This script indexes SciFact's abstracts and
SQuAD-dev's paragraphs with the bundled models, asks every query both ways (the
candidates, and every passage's exact cosine), and reports the overlap of the two
top-10 lists for several ``CANDIDATES_PER_RESULT``; it picks the smallest value
whose mean overlap reaches ``TARGET`` on every corpus:

    python bench/dense_recall.py [--work DIR] [--values 5,10,20,40]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bot.bootstrap import build_bot, models
from bot.search import hybrid
from bot.search.hybrid import Retriever
from bot.settings import Settings

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
#: Results compared per query: what a search shows and the answer pipeline reads.
TOP = 10
#: Mean overlap a value must reach on every corpus to be chosen (one passage in
#: a thousand may differ, usually a near tie at tenth place).
TARGET = 0.999


def corpora(shared: Path) -> dict[str, tuple[Path, list[str]]]:
    """Each corpus file with its queries: SciFact's claims, SQuAD-dev's questions."""
    scifact, squad = shared / "scifact", shared / "squad-dev"
    with open(scifact / "queries.jsonl", encoding="utf-8") as fh:
        claims = [str(json.loads(line)["text"]) for line in fh]
    with open(squad / "questions.jsonl", encoding="utf-8") as fh:
        questions = [str(json.loads(line)["question"]) for line in fh]
    return {
        "scifact": (scifact / "corpus.jsonl", claims),
        "squad-dev": (squad / "corpus.jsonl", questions),
    }


def overlaps(approx: Retriever, exact: Retriever, queries: Sequence[str]) -> list[float]:
    """For each query, the share of the exact top ``TOP`` that the candidates find."""
    shares = []
    for query in queries:
        want = {r.position for r in exact.passages(query, TOP)}
        got = {r.position for r in approx.passages(query, TOP)}
        if want:
            shares.append(len(want & got) / len(want))
    return shares


def choose(results: dict[int, dict[str, list[float]]]) -> int | None:
    """The smallest value whose mean overlap reaches ``TARGET`` on every corpus."""
    for value in sorted(results):
        if all(statistics.fmean(s) >= TARGET for s in results[value].values()):
            return value
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--work", type=Path, help="keep the indexes here (default: temporary)")
    parser.add_argument("--values", default="2,5,10,20,40", help="CANDIDATES_PER_RESULT to try")
    args = parser.parse_args()
    values = [int(v) for v in args.values.split(",")]
    results: dict[int, dict[str, list[float]]] = {v: {} for v in values}
    chosen = hybrid.CANDIDATES_PER_RESULT
    with tempfile.TemporaryDirectory(prefix="teambot-recall-") as tmp:
        work = args.work or Path(tmp)
        for name, (corpus, queries) in corpora(args.shared).items():
            settings = Settings(  # type: ignore[call-arg]
                corpus=corpus,
                data_dir=work / name,
                embed_model="bundled",
                rerank_model="off",
                _env_file=None,
            )
            bot = build_bot(settings)
            approx = bot.retriever
            static, _ = models(settings)
            exact = Retriever(approx.index, static, approx.dense_weight, exact=True)
            print(f"{name}: {len(approx.index.passages):,} passages, {len(queries)} queries")
            for value in values:
                hybrid.CANDIDATES_PER_RESULT = value
                started = time.perf_counter()
                shares = overlaps(approx, exact, queries)
                took = (time.perf_counter() - started) / max(1, len(queries)) * 1000
                results[value][name] = shares
                print(
                    f"  CANDIDATES_PER_RESULT {value:>3}: overlap@{TOP} mean "
                    f"{statistics.fmean(shares):.4f}, identical top {TOP} in "
                    f"{sum(s == 1.0 for s in shares) / len(shares):.1%} of queries, "
                    f"worst {min(shares):.1f} ({took:.1f} ms a query for both)"
                )
    hybrid.CANDIDATES_PER_RESULT = chosen
    best = choose(results)
    print(f"smallest value reaching mean overlap {TARGET}: {best} (in use: {chosen})")


if __name__ == "__main__":
    main()
