"""Issue 11's benchmark: build, cached ask, search and live updates at 20,000-200,000 articles.

For each size, on a synthetic corpus of ~600-word articles (bench/synthetic.py,
kept in a cache folder so reruns reuse it), each measurement in a fresh process
so that timings and peak memory are not shared, with the embedding models off
as the issue's own table was measured (``--models bundled`` runs them on):

1. build: a full build on an empty data dir (wall and CPU time of the process
   and its children, peak memory, cache size on disk, ms per article);
2. ask: the real ``teambot ask`` on the cache, median of 5;
3. search: ``bot.search(q, k=5)`` for 1,000 queries (p50/p99), serving memory;
4. rank: rank-bm25 on the same corpus, per query on a sample (skipped above
   ``--rank-bm25-max`` articles), and how many times slower it is than ours;
5. live: a running app picks up an added article, then forgets it once deleted.

Memory is in GB of 10^9 bytes; the targets are the issue's, set for 200,000 articles.

    python bench/scale.py [--sizes 20000,100000,200000] [--steps build,ask,search,rank,live]
        [--models off|bundled] [--rank-bm25-max N] [--cache DIR] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import queries, write_corpus  # noqa: E402

STEPS = ("build", "ask", "search", "rank", "live")
#: Queries timed per search run: the issue's p50/p99 are over 1,000.
SEARCHES = 1_000
#: rank-bm25 scores every passage for each query (seconds each at 20,000 articles).
RANK_QUERIES = 20
#: One-shot asks per size; the median is reported.
ASKS = 5
#: How often the live step asks whether the change is visible (seconds).
POLL = 0.05
#: The live watcher's period: the smallest ``reload_seconds`` the settings accept.
RELOAD_SECONDS = 1.0
#: Give up on a live change after this long (seconds).
LIVE_TIMEOUT = 15 * 60
#: How often the build step samples its process tree's memory (seconds).
SAMPLE_EVERY = 0.25
GB = 1e9
#: Issue 11's targets at 200,000 articles: result key -> (limit, True when higher is better).
TARGETS = {
    "build_s": (180.0, False),
    "build_peak_b": (3 * GB, False),
    "ask_s": (1.0, False),
    "p50_ms": (5.0, False),
    "serve_b": (1.5 * GB, False),
    "added_s": (10.0, False),
    "deleted_s": (10.0, False),
    "ratio": (100.0, True),
}
#: The summary's columns: (heading, result key).
COLUMNS = (
    ("full build", "build_s"),
    ("build per article", "per_ms"),
    ("build peak memory", "build_peak_b"),
    ("cache on disk", "disk_b"),
    ("cached one-shot ask", "ask_s"),
    ("search p50", "p50_ms"),
    ("search p99", "p99_ms"),
    ("serving memory", "serve_b"),
    ("added article answerable", "added_s"),
    ("deleted article gone", "deleted_s"),
    ("rank-bm25 p50 / ours", "ratio"),
)


def _settings(corpus: str, data: str, models: str, **more: Any) -> Any:
    from bot.settings import Settings

    return Settings(  # type: ignore[call-arg]
        corpus=Path(corpus),
        data_dir=Path(data),
        embed_model=models,
        rerank_model=models,
        _env_file=None,
        **more,
    )


def _pss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _descendants(root: int) -> dict[int, float]:
    """The CPU seconds used so far by each process below ``root``."""
    children: dict[int, list[int]] = {}
    cpu: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
            pid = int(stat.parent.name)
            children.setdefault(int(fields[1]), []).append(pid)
            cpu[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            continue
    found, todo = {}, list(children.get(root, ()))
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        found[pid] = cpu.get(pid, 0.0)
    return found


class TreeSampler:
    """Samples a process tree while a build runs: its peak memory as PSS (forked pool
    workers share their parent's pages, which a sum of RSS would count twice), and
    each worker's CPU time, which getrusage misses for workers still alive at the end."""

    def __init__(self) -> None:
        self.peak_b, self.cpu = 0, dict[int, float]()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        below = _descendants(os.getpid())
        self.cpu |= below
        self.peak_b = max(self.peak_b, sum(_pss(pid) for pid in (os.getpid(), *below)))

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY):
            self._sample()

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def _rss_bytes() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def child_build(corpus: str, data: str, models: str) -> dict[str, float]:
    """A full build: times, and the peak memory of this process and its pool workers."""
    from bot.bootstrap import build_bot

    settings = _settings(corpus, data, models)
    own0, kids0 = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    with TreeSampler() as tree:
        started = time.perf_counter()
        build_bot(settings)
        wall = time.perf_counter() - started
    kids = max(_cpu(resource.RUSAGE_CHILDREN) - kids0, sum(tree.cpu.values()))
    return {
        "build_s": wall,
        "cpu_s": _cpu(resource.RUSAGE_SELF) - own0 + kids,
        "rss_b": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "child_rss_b": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
        "tree_b": tree.peak_b,
    }


def _timed_searches(bot: Any, questions: list[str]) -> dict[str, float]:
    bot.search(questions[0])  # first touch of lazily loaded or memory-mapped parts
    times = []
    for question in questions:
        started = time.perf_counter()
        bot.search(question, k=5)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    return {"p50_ms": statistics.median(times), "p99_ms": p99, "queries": len(times)}


def child_search(
    corpus: str, data: str, models: str, questions: list[str], engine: str = "bm25s"
) -> dict[str, float]:
    """Loads the bot (from the cache for ours; rank-bm25 builds), then times searches."""
    from bot.bootstrap import build_bot

    started = time.perf_counter()
    bot = build_bot(_settings(corpus, data, models, engine=engine))
    result = {"load_s": time.perf_counter() - started, **_timed_searches(bot, questions)}
    result["serve_b"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return result


def _live_article(word: str) -> str:
    return (
        f"Harbour council backs the {word} plan\n\nMarch 3, 2026\n\n"
        f"The harbour council voted on Tuesday to back the {word} plan for the old docks. "
        f"Supporters said the {word} scheme would bring jobs to the waterfront. "
        "Opponents asked for a second vote next spring.\n"
    )


def _wait(found: Callable[[], bool], want: bool, peak: list[int]) -> float | None:
    """Seconds until ``found()`` is ``want``, or None after ``LIVE_TIMEOUT``."""
    started = time.perf_counter()
    while time.perf_counter() - started < LIVE_TIMEOUT:
        peak[0] = max(peak[0], _rss_bytes())
        if found() == want:
            return time.perf_counter() - started
        time.sleep(POLL)
    return None


def child_live(corpus: str, data: str, models: str, path: str) -> dict[str, float | None]:
    """Starts the app, adds an article with a made-up word, times until it is found;
    deletes it, times until it is not. The file is removed whatever happens."""
    from bot.bootstrap import build_app

    article = Path(path)
    word = article.stem.rpartition("-")[2]
    app = build_app(_settings(corpus, data, models, reload_seconds=RELOAD_SECONDS))

    def found() -> bool:
        hits = app.bot.search(word, k=1).hits
        return any(hit.passage.article.article_id == article.stem for hit in hits)

    try:
        app.start()
        before = _rss_bytes()
        peak = [before]
        article.write_text(_live_article(word))
        added = _wait(found, True, peak)
        article.unlink()
        deleted = _wait(found, False, peak) if added is not None else None
    finally:
        article.unlink(missing_ok=True)
        app.close()
    return {"added_s": added, "deleted_s": deleted, "live_rss_b": before, "live_peak_b": peak[0]}


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "build": child_build,
    "search": child_search,
    "live": child_live,
}


def ensure_corpus(cache: Path, size: int) -> tuple[Path, list[str]]:
    """The cached corpus of ``size`` articles (written first if missing) and its vocabulary.

    The vocabulary file beside it is written last: a corpus without one was cut short.
    """
    corpus, done = cache / f"c{size}", cache / f"c{size}.vocab.json"
    if corpus.is_dir() and done.is_file():
        return corpus, json.loads(done.read_text())
    partial = cache / f"c{size}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(corpus, ignore_errors=True)
    print(f"writing {size:,} synthetic articles to {corpus} ...", flush=True)
    started = time.perf_counter()
    vocab = write_corpus(partial, size)
    partial.rename(corpus)
    done.write_text(json.dumps(vocab))
    print(f"  written in {time.perf_counter() - started:.0f} s", flush=True)
    return corpus, vocab


def _disk_bytes(folder: Path) -> int:
    """What ``du`` reports: allocated blocks, not apparent sizes."""
    return sum(p.lstat().st_blocks * 512 for p in folder.rglob("*"))


def _biggest(folder: Path) -> tuple[str, int, int] | None:
    """The largest file's identity: it changes when the index cache is rewritten."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    if not files:
        return None
    big = max(files, key=lambda p: p.stat().st_size)
    return str(big), big.stat().st_ino, big.stat().st_mtime_ns


def _env(models: str, data: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEAMBOT_")}
    env["TEAMBOT_EMBED_MODEL"] = env["TEAMBOT_RERANK_MODEL"] = models
    if data is not None:
        env["TEAMBOT_DATA_DIR"] = str(data)
    return env


@dataclass(frozen=True, slots=True)
class Size:
    """One size's corpus, data dir and queries, and the run's options."""

    articles: int
    corpus: Path
    data: Path
    questions: tuple[str, ...]
    args: argparse.Namespace

    def child(self, name: str, *more: Any, data: Path | None = None) -> dict[str, Any]:
        """Runs step ``name`` in a fresh interpreter; its result is its last output line."""
        given = [str(self.corpus), str(data or self.data), self.args.models, *more]
        out = subprocess.run(
            [sys.executable, __file__, "--child", name],
            input=json.dumps(given),
            capture_output=True,
            text=True,
            env=_env(self.args.models),
            cwd=self.args.cache,  # away from any .env file
        )
        if out.returncode:
            sys.exit(f"the {name} step failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
        return result


def step_build(size: Size) -> dict[str, Any]:
    shutil.rmtree(size.data, ignore_errors=True)
    built = size.child("build")
    peak = max(built["rss_b"], built["child_rss_b"], built["tree_b"])
    per_article = built["build_s"] * 1e3 / size.articles
    return built | {"build_peak_b": peak, "disk_b": _disk_bytes(size.data), "per_ms": per_article}


def step_ask(size: Size) -> dict[str, Any]:
    """Wall time of the real one-shot command line on the cached index."""
    teambot = Path(sys.executable).parent / "teambot"
    command = [str(teambot)] if teambot.exists() else [sys.executable, "-m", "bot"]
    question = f"What happened with {size.questions[0]}?"
    command += ["ask", question, "--corpus", str(size.corpus)]
    env = _env(size.args.models, size.data)
    times = []
    for _ in range(ASKS):
        started = time.perf_counter()
        out = subprocess.run(command, env=env, cwd=size.args.cache, capture_output=True)
        times.append(time.perf_counter() - started)
        if out.returncode:
            sys.exit(f"teambot ask failed (exit {out.returncode}):\n{out.stderr.decode()[-3000:]}")
    return {"ask_s": statistics.median(times), "ask_min_s": min(times), "ask_max_s": max(times)}


def step_search(size: Size) -> dict[str, Any]:
    return size.child("search", size.questions)


def step_rank(size: Size) -> dict[str, Any]:
    if size.articles > size.args.rank_bm25_max:
        return {"rank_skipped": True}
    data = size.data.with_name(f"rank-bm25-{size.data.name}")
    shutil.rmtree(data, ignore_errors=True)
    try:
        rank = size.child("search", size.questions[:RANK_QUERIES], "rank-bm25", data=data)
    finally:
        if not size.args.keep:
            shutil.rmtree(data, ignore_errors=True)
    return {f"rank_{key}": value for key, value in rank.items()}


def step_live(size: Size) -> dict[str, Any]:
    word = "".join(random.SystemRandom().choices("bcdfghjklmnpqrstvwxz", k=12))
    added = size.corpus / f"scale-live-{word}.txt"
    try:
        return size.child("live", str(added))
    finally:
        added.unlink(missing_ok=True)  # also when the step failed or was interrupted


def measure(articles: int, args: argparse.Namespace) -> dict[str, Any]:
    """Every selected step at one size; returns the figures by name."""
    corpus, vocab = ensure_corpus(args.cache, articles)
    data = args.cache / "data" / f"{args.models}-c{articles}"
    size = Size(articles, corpus, data, tuple(queries(vocab, SEARCHES)), args)
    r: dict[str, Any] = {"size": articles}
    if "build" in args.steps:
        r |= step_build(size)
    elif not data.is_dir():
        print("  (no cached index yet: building one, not measured)", flush=True)
        step_build(size)
    before = _biggest(data)
    for name, step in (("ask", step_ask), ("search", step_search), ("rank", step_rank)):
        if name in args.steps:
            r |= step(size)
    if _biggest(data) != before:
        r["rebuilt"] = True  # the code changed under us, or the cache did not fit the corpus
    if "live" in args.steps:
        r |= step_live(size)
    if "p50_ms" in r and "rank_p50_ms" in r:
        r["ratio"] = r["rank_p50_ms"] / r["p50_ms"]
    if not args.keep:
        shutil.rmtree(data, ignore_errors=True)
    return r


def _bytes(value: float) -> str:
    return f"{value / GB:.2f} GB" if value >= GB else f"{value / 1e6:,.0f} MB"


def _fmt(key: str, value: float | None) -> str:
    if value is None:
        return "timed out"
    if key.endswith("_b"):
        return _bytes(value)
    if key.endswith("_ms"):
        return f"{value:.2f} ms"
    if key == "ratio":
        return f"{value:,.0f}x"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s" if value < 100 else f"{value:.0f} s"


def _target(key: str) -> str:
    if key not in TARGETS:
        return ""
    limit, higher = TARGETS[key]
    return f"{'>=' if higher else '<='} {_fmt(key, limit)}"


def _verdict(key: str, value: float | None) -> str:
    if key not in TARGETS:
        return ""
    limit, higher = TARGETS[key]
    ok = value is not None and (value >= limit if higher else value <= limit)
    return f"{_target(key)}: {'met' if ok else 'MISSED'}"


def _rows(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(what, figure, target) for each figure measured at one size."""
    rows: list[tuple[str, str, str]] = []

    def add(what: str, key: str, detail: str = "") -> None:
        if key in r:
            figure = _fmt(key, r[key]) + ("" if r[key] is None else detail)
            rows.append((what, figure, _verdict(key, r[key])))

    if "build_s" in r:
        kids, tree = _bytes(r["child_rss_b"]), _bytes(r["tree_b"])
        add("full build", "build_s", f" (CPU, with its children: {r['cpu_s']:.1f} s)")
        add("  per article", "per_ms")
        add("build peak memory", "build_peak_b", f" (children {kids}, whole tree {tree} PSS)")
        add("cache on disk", "disk_b")
    if "ask_s" in r:
        spread = f"{_fmt('ask_s', r['ask_min_s'])} to {_fmt('ask_s', r['ask_max_s'])}"
        add("cached one-shot ask", "ask_s", f" (median of {ASKS}, {spread})")
    add("cached load", "load_s")
    add("search p50", "p50_ms", f" over {r.get('queries', 0):,} queries")
    add("search p99", "p99_ms")
    add("serving memory", "serve_b", " (max RSS)")
    add("rank-bm25 build", "rank_load_s")
    add("rank-bm25 p50", "rank_p50_ms", f" over {r.get('rank_queries', 0):,} queries")
    add("rank-bm25 p50 / ours", "ratio")
    if r.get("rank_skipped"):
        rows.append(("rank-bm25", "skipped: more articles than --rank-bm25-max", ""))
    add("added article answerable", "added_s")
    add("deleted article gone", "deleted_s")
    if "live_peak_b" in r:
        live = f"{_bytes(r['live_rss_b'])} before the change, peak {_bytes(r['live_peak_b'])}"
        rows.append(("memory during updates", live + " (RSS)", ""))
    if r.get("rebuilt"):
        rows.append(("WARNING", "the index was rebuilt after the build step", ""))
    return rows


def print_size(r: dict[str, Any]) -> None:
    load = os.getloadavg()[1]  # other work on the machine slows wall times, not CPU times
    print(f"\n{r['size']:,} articles (load average {load:.1f} on {os.cpu_count()} cores)")
    for what, figure, target in _rows(r):
        print(f"  {what:<26} {figure:<62} {target}".rstrip(), flush=True)


def summary(results: list[dict[str, Any]], models: str) -> str:
    """Markdown rows for the README, the issue's targets in the last row."""
    lines = [
        f"| articles (models {models}) | " + " | ".join(head for head, _ in COLUMNS) + " |",
        "|---" * (len(COLUMNS) + 1) + "|",
    ]
    for r in results:
        row = [_fmt(key, r[key]) if key in r else "-" for _, key in COLUMNS]
        if r.get("rank_skipped"):
            row[-1] = "skipped"
        lines.append(f"| {r['size']:,} | " + " | ".join(row) + " |")
    lines.append("| target at 200,000 | " + " | ".join(_target(k) for _, k in COLUMNS) + " |")
    return "\n".join(lines)


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected numbers such as 20000,100000: {text!r}"
        ) from None
    if min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"expected positive numbers of articles: {text!r}")
    return sizes


def _steps(text: str) -> set[str]:
    steps = {part.strip() for part in text.split(",")}
    if not steps <= set(STEPS):
        raise argparse.ArgumentTypeError(f"expected some of {','.join(STEPS)}: {text!r}")
    return steps


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(CHILDREN[sys.argv[2]](*json.loads(sys.stdin.read()))))
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=[20_000, 100_000, 200_000])
    parser.add_argument("--steps", type=_steps, default=set(STEPS), help=",".join(STEPS))
    parser.add_argument("--models", choices=("off", "bundled"), default="off")
    parser.add_argument("--rank-bm25-max", type=int, default=20_000, metavar="N")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir(), "teambot-scale"))
    parser.add_argument("--keep", action="store_true", help="keep the data dirs (index caches)")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    print(f"steps {','.join(s for s in STEPS if s in args.steps)}; models {args.models}")
    results = []
    for articles in args.sizes:
        results.append(measure(articles, args))
        print_size(results[-1])
    print("\n" + summary(results, args.models))


if __name__ == "__main__":
    main()
