"""Index build time, cached load time, search and answer latency, peak memory.

Builds a synthetic corpus (default 20,000 articles of ~600 words) and measures,
for the default engine (bm25) with the embedding models off and on, and for
rank-bm25 on the same corpus, each in fresh processes so that timings and peak
memory are not shared. With the models on it also answers questions (batch
mode: one loaded bot, one question after another):

    python bench/search_speed.py [--articles N] [--queries N] [--engines bm25,rank-bm25]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale_children import timed_searches  # noqa: E402
from synthetic import queries, write_corpus  # noqa: E402

#: Questions answered for the answer latency (each reranks up to 16 sentences).
ANSWERS = 100


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the index build's workers):
    on a machine shared with other jobs it moves far less than the wall time."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


def child(
    mode: str, corpus: str, data: str, engine: str, models: str, questions: list[str]
) -> dict[str, float]:
    """Runs in a fresh interpreter: 'build' (cold) or 'query' (cached load, then searches
    and, with the models on, answers)."""
    from bot.bootstrap import build_bot
    from bot.settings import Settings

    settings = Settings(  # type: ignore[call-arg]
        corpus=Path(corpus),
        data_dir=Path(data),
        engine=engine,  # type: ignore[arg-type]
        embed_model=models,
        rerank_model=models,
        _env_file=None,
    )
    started = time.perf_counter()
    bot = build_bot(settings)
    elapsed = time.perf_counter() - started
    result = {"seconds": elapsed, "cpu_s": _cpu_seconds()}
    if mode == "query":
        result["verify_s"] = _full_check_seconds(settings)
        result |= timed_searches(bot, questions)
        if models != "off":
            bot.ask(questions[0])  # loads the rerank model
            asked = []
            for question in questions[:ANSWERS]:
                t0 = time.perf_counter()
                bot.ask(question)
                asked.append((time.perf_counter() - t0) * 1000)
            result["ask_p50_ms"] = statistics.median(asked)
            result["ask_p99_ms"] = sorted(asked)[min(len(asked) - 1, int(len(asked) * 0.99))]
    result["peak_mib"] = _peak_mib()
    return result


def _full_check_seconds(settings: Settings) -> float:
    """What hashing every index file costs: a large segment's first load after a change
    and its daily check (a segment of at most 64 MiB pays it on every load)."""
    from bot.search import integrity
    from bot.search.jsonfile import read_json
    from bot.search.store import index_dir

    directory = index_dir(settings.data_dir, settings.corpus_path())
    started = time.perf_counter()
    for segment in directory.glob("s-*"):
        manifest = read_json(segment / integrity.MANIFEST, dict)
        (segment / integrity.CHECKED).unlink(missing_ok=True)  # as if never checked
        integrity.verify(segment, manifest)
    return time.perf_counter() - started


def _run_child(
    mode: str, corpus: Path, data: Path, engine: str, models: str, questions: list[str]
) -> dict[str, float]:
    payload = json.dumps([mode, str(corpus), str(data), engine, models, questions])
    out = subprocess.run(
        [sys.executable, __file__, "--child"],
        input=payload,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if sys.argv[1:] == ["--child"]:
        print(json.dumps(child(*json.loads(sys.stdin.read()))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--reference-queries", type=int, default=30, help="for rank-bm25 (slow)")
    parser.add_argument("--engines", default="bm25,rank-bm25")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="teambot-bench-") as tmp:
        corpus, data = Path(tmp, "corpus"), Path(tmp, "data")
        t0 = time.perf_counter()
        vocab = write_corpus(corpus, args.articles)
        took = time.perf_counter() - t0
        print(f"corpus: {args.articles:,} articles of ~600 words, written in {took:.1f} s")
        results = {}
        runs = [(e, "off") for e in args.engines.split(",")] + [("bm25", "bundled")]
        for engine, models in runs:
            count = args.queries if engine == "bm25" else args.reference_queries
            qs = queries(vocab, count)
            build = _run_child("build", corpus, data / models, engine, models, qs)
            query = _run_child("query", corpus, data / models, engine, models, qs)
            results[(engine, models)] = (build, query)
            label = f"{engine} models {models}"
            print(
                f"{label:>22}: build {build['seconds']:6.1f} s "
                f"(CPU {build['cpu_s']:.1f} s, peak {build['peak_mib']:,.0f} MiB) | "
                f"cached load {query['seconds']:6.2f} s "
                f"(a full checksum check {query['verify_s']:.2f} s) | "
                f"search p50 {query['p50_ms']:8.2f} ms, "
                f"p99 {query['p99_ms']:8.2f} ms over {query['queries']} queries "
                f"(peak {query['peak_mib']:,.0f} MiB)"
            )
            if "ask_p50_ms" in query:
                print(
                    f"{'':>22}  answer p50 {query['ask_p50_ms']:.0f} ms, "
                    f"p99 {query['ask_p99_ms']:.0f} ms over {ANSWERS} questions"
                )
        if {("bm25", "off"), ("rank-bm25", "off")} <= results.keys():
            ratio = (
                results[("rank-bm25", "off")][1]["p50_ms"] / results[("bm25", "off")][1]["p50_ms"]
            )
            print(f"bm25 is {ratio:,.0f}x faster per query than rank-bm25 (p50)")
        if {("bm25", "off"), ("bm25", "bundled")} <= results.keys():
            on, off = results[("bm25", "bundled")][0], results[("bm25", "off")][0]
            print(
                f"indexing with embeddings takes {on['seconds'] / off['seconds']:.2f}x the "
                f"BM25-only build (target <= 1.5x); in CPU time {on['cpu_s'] / off['cpu_s']:.2f}x"
            )


if __name__ == "__main__":
    main()
