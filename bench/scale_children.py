"""``bench/scale.py``'s measurements, each run in a fresh interpreter (``CHILDREN``):
a full build with its peak memory and CPU time, timed searches, and a live update.

Each takes the corpus, the data dir and the models setting, and returns its figures
by name; ``bench/scale.py --child NAME`` runs one and prints them as JSON.
"""

from __future__ import annotations

import os
import resource
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: How often the live step asks whether the change is visible (seconds).
POLL = 0.05
#: The live watcher's period: the smallest ``reload_seconds`` the settings accept.
RELOAD_SECONDS = 1.0
#: Give up on a live change after this long (seconds).
LIVE_TIMEOUT = 15 * 60
#: How often the build step samples its process tree's memory (seconds).
SAMPLE_EVERY = 0.25


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


def timed_searches(bot: Any, questions: list[str]) -> dict[str, float]:
    """p50 and p99 of ``bot.search`` over ``questions`` (ms), after a first touch."""
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
    result = {"load_s": time.perf_counter() - started, **timed_searches(bot, questions)}
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
