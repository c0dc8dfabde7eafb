"""``bench/scale.py``'s report: each size's figures against issue 11's targets, and
the Markdown summary for the README."""

from __future__ import annotations

import os
from typing import Any

#: One-shot asks per size (``bench/scale.py``'s ask step); the median is reported.
ASKS = 5
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
