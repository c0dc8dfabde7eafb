"""Retrieval quality on SciFact (BEIR test split) through teambot's own search code.

Loads ``../shared/bench/scifact/corpus.jsonl`` with the corpus loader, indexes
it as teambot indexes any corpus (passages, title context, the configured
engine), runs the 300 test claims through ``TeamBot.search`` (one hit per
article, best passage) and scores nDCG@10 with ir-measures:

    python bench/scifact.py [--data PATH] [--engine bm25|rank-bm25]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

import ir_measures
from ir_measures import Recall, nDCG

from bot.bootstrap import build_bot
from bot.settings import Settings

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "scifact"
PUBLISHED = {"Pyserini BM25 flat": 0.679, "Elasticsearch": 0.690, "bm25s": 0.687}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT)
    parser.add_argument("--engine", default="bm25", choices=("bm25", "rank-bm25"))
    parser.add_argument("--depth", type=int, default=100, help="hits per query")
    args = parser.parse_args()
    if not (args.data / "corpus.jsonl").exists():
        print(f"SciFact not found at {args.data}", file=sys.stderr)
        return 2

    qrels = []
    with open(args.data / "qrels" / "test.tsv", encoding="utf-8") as fh:
        rows = csv.reader(fh, delimiter="\t")
        next(rows)
        qrels = [ir_measures.Qrel(q, d, int(score)) for q, d, score in rows]
    wanted = {q.query_id for q in qrels}
    with open(args.data / "queries.jsonl", encoding="utf-8") as fh:
        claims = [q for q in map(json.loads, fh) if q["_id"] in wanted]

    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(  # type: ignore[call-arg]
            corpus=args.data / "corpus.jsonl",
            data_dir=Path(data_dir),
            engine=args.engine,
            _env_file=None,
        )
        started = time.perf_counter()
        bot = build_bot(settings)
        built = time.perf_counter() - started
        started = time.perf_counter()
        run = [
            ir_measures.ScoredDoc(claim["_id"], hit.passage.article.article_id, hit.score)
            for claim in claims
            for hit in bot.search(claim["text"], k=args.depth).hits
        ]
        searched = time.perf_counter() - started

    scores = ir_measures.calc_aggregate([nDCG @ 10, Recall @ 100], qrels, run)
    print(f"SciFact: {len(bot.sources()):,} abstracts, {len(claims)} claims, engine {args.engine}")
    print(f"index built in {built:.1f} s; {len(claims)} searches in {searched:.2f} s")
    print(f"nDCG@10    {scores[nDCG @ 10]:.4f}   (target >= 0.68)")
    print(f"Recall@100 {scores[Recall @ 100]:.4f}")
    print("published BM25 nDCG@10: " + ", ".join(f"{k} {v:.3f}" for k, v in PUBLISHED.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
