"""Index build time, cached load time, search latency and peak memory.

Builds a synthetic corpus (default 20,000 articles of ~600 words) and measures,
for the default engine (bm25s) and for rank-bm25 on the same corpus, each in
fresh processes so that timings and peak memory are not shared:

    python bench/search_speed.py [--articles N] [--queries N] [--engines bm25s,rank-bm25]
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import queries, write_corpus  # noqa: E402


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, corpus: str, data: str, engine: str, questions: list[str]) -> dict[str, float]:
    """Runs in a fresh interpreter: 'build' (cold) or 'query' (cached load, then searches)."""
    from bot.bootstrap import build_bot
    from bot.settings import Settings

    settings = Settings(corpus=Path(corpus), data_dir=Path(data), engine=engine, _env_file=None)  # type: ignore[call-arg, arg-type]
    started = time.perf_counter()
    bot = build_bot(settings)
    elapsed = time.perf_counter() - started
    result = {"seconds": elapsed}
    if mode == "query":
        bot.search(questions[0])  # first-touch of memory-mapped pages
        times = []
        for question in questions:
            t0 = time.perf_counter()
            bot.search(question, k=5)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        result["p50_ms"] = statistics.median(times)
        result["p99_ms"] = times[min(len(times) - 1, int(len(times) * 0.99))]
        result["queries"] = len(times)
    result["peak_mib"] = _peak_mib()
    return result


def _run_child(
    mode: str, corpus: Path, data: Path, engine: str, questions: list[str]
) -> dict[str, float]:
    payload = json.dumps([mode, str(corpus), str(data), engine, questions])
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
    parser.add_argument("--engines", default="bm25s,rank-bm25")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="teambot-bench-") as tmp:
        corpus, data = Path(tmp, "corpus"), Path(tmp, "data")
        t0 = time.perf_counter()
        vocab = write_corpus(corpus, args.articles)
        took = time.perf_counter() - t0
        print(f"corpus: {args.articles:,} articles of ~600 words, written in {took:.1f} s")
        results = {}
        for engine in args.engines.split(","):
            count = args.queries if engine == "bm25s" else args.reference_queries
            qs = queries(vocab, count)
            build = _run_child("build", corpus, data, engine, qs)
            query = _run_child("query", corpus, data, engine, qs)
            results[engine] = (build, query)
            print(
                f"{engine:>9}: build {build['seconds']:6.1f} s "
                f"(peak {build['peak_mib']:,.0f} MiB) | "
                f"cached load {query['seconds']:6.2f} s | search p50 {query['p50_ms']:8.2f} ms, "
                f"p99 {query['p99_ms']:8.2f} ms over {query['queries']} queries "
                f"(peak {query['peak_mib']:,.0f} MiB)"
            )
        if {"bm25s", "rank-bm25"} <= results.keys():
            ratio = results["rank-bm25"][1]["p50_ms"] / results["bm25s"][1]["p50_ms"]
            print(f"bm25s is {ratio:,.0f}x faster per query than rank-bm25 (p50)")


if __name__ == "__main__":
    main()
