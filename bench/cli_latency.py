"""Wall time of a one-shot ``teambot ask`` on the bundled seeds with a warm cache.

This is what a script or a person pays per question: interpreter start,
imports, verifying and loading the cached index, answering and printing.

    python bench/cli_latency.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTION = "How many parameters does RynnBrain have?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    teambot = shutil.which("teambot", path=str(Path(sys.executable).parent))
    command = [teambot] if teambot else [sys.executable, "-m", "bot"]
    with tempfile.TemporaryDirectory() as data:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TEAMBOT_")}
        env["TEAMBOT_DATA_DIR"] = data
        ask = [*command, "ask", QUESTION]
        subprocess.run(ask, env=env, check=True, capture_output=True)  # builds the cache
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            subprocess.run(ask, env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    times.sort()
    print(
        f"teambot ask, warm cache, {args.runs} runs: median {statistics.median(times):.3f} s, "
        f"min {times[0]:.3f} s, max {times[-1]:.3f} s (target <= 1.0 s)"
    )


if __name__ == "__main__":
    main()
