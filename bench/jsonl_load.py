"""Loading one large .jsonl corpus file: seconds and peak memory (issue 11, "scale").

Writes (once; kept between runs) a .jsonl file of about ``--mb`` megabytes, one
``{"id", "title", "text"}`` article a line, from ``bench/synthetic.py``'s
articles, then loads it with ``load_corpus`` in a fresh process and prints the
time, the articles, the peak resident memory and the memory the loaded articles
still hold afterwards. The loader reads a line at a time, so the peak is the
articles themselves plus a little, never the file: the difference is printed.

Usage: ``python bench/jsonl_load.py [--mb 1000] [--path /tmp/teambot-big.jsonl]
[--checkout DIR]``
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_corpus  # noqa: E402

#: Distinct synthetic articles written once and cycled (with new ids) to the size
#: asked for: writing 200,000 distinct ones for 1 GB would take longer than the load.
DISTINCT = 20_000


def write_jsonl(path: Path, megabytes: float) -> int:
    """Writes about ``megabytes`` MB of articles to ``path``; returns how many lines."""
    source = path.with_suffix(".articles")
    if not source.exists():
        write_corpus(source, DISTINCT)
    files = sorted(source.glob("*.txt"))
    rng = random.Random(3)
    target, written, lines = megabytes * 1_000_000, 0, 0
    with path.open("w", encoding="utf-8") as out:
        while written < target:
            file = files[lines % len(files)]
            title, _, text = file.read_text(encoding="utf-8").partition("\n")
            # A few words swapped per copy, so repeats are not the same text.
            words = text.split(" ")
            for _ in range(5):
                i, j = rng.randrange(len(words)), rng.randrange(len(words))
                words[i], words[j] = words[j], words[i]
            row = {"id": f"a{lines}", "title": title, "text": " ".join(words)}
            line = json.dumps(row) + "\n"
            out.write(line)
            written += len(line)
            lines += 1
    return lines


def child(path: Path, checkout: Path) -> None:
    """In a fresh process: load the file, print JSON figures."""
    sys.path.insert(0, str(checkout.resolve()))
    from bot.corpus.loader import load_corpus

    before = _rss_mib()
    started = time.perf_counter()
    loaded = load_corpus(path)
    seconds = time.perf_counter() - started
    figures = {
        "seconds": seconds,
        "articles": len(loaded.articles),
        "warnings": len(loaded.warnings),
        "start_mib": before,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "held_mib": _rss_mib(),
    }
    print(json.dumps(figures))


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1000.0, help="size of the .jsonl file")
    parser.add_argument("--path", type=Path, default=Path("/tmp/teambot-big.jsonl"))
    parser.add_argument("--checkout", type=Path, default=ROOT, help="teambot source tree")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.path, args.checkout)
        return
    if not args.path.exists() or args.path.stat().st_size < args.mb * 1_000_000 * 0.99:
        started = time.perf_counter()
        lines = write_jsonl(args.path, args.mb)
        print(f"wrote {lines:,} articles to {args.path} in {time.perf_counter() - started:.0f} s")
    size = args.path.stat().st_size / 1e6
    command = [sys.executable, __file__, "--child", "--path", str(args.path)]
    result = subprocess.run(
        [*command, "--checkout", str(args.checkout)], capture_output=True, text=True, check=True
    )
    f = json.loads(result.stdout)
    print(f"{args.path}: {size:,.0f} MB, {f['articles']:,} articles ({args.checkout})")
    print(
        f"load_corpus {f['seconds']:.1f} s ({size / f['seconds']:.1f} MB/s, "
        f"{f['seconds'] / max(f['articles'], 1) * 1e6:.0f} us/article)"
    )
    print(
        f"memory: {f['start_mib']:.0f} MiB before, peak {f['peak_mib']:,.0f} MiB, "
        f"{f['held_mib']:,.0f} MiB holding the articles after: the load's own peak is "
        f"{f['peak_mib'] - f['held_mib']:,.0f} MiB above what it returns"
    )


if __name__ == "__main__":
    main()
