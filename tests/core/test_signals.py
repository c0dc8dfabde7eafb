"""Ctrl-C and SIGTERM reach the main thread: every other thread blocks them.

GNU readline blocks SIGINT for a moment while it redraws the prompt; a Ctrl-C
then goes to any thread that does not block it, and if that is a worker, the
console's prompt never hears of it. So after start-up, a question (models
loaded) and a digest (scipy loaded), no thread but the main one may accept them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

SCRIPT = """
import glob, os, sys, tempfile
from datetime import timedelta
from bot.signals import import_with_signals_blocked
import_with_signals_blocked("numpy")  # what adapters.cli.main does first
from bot.bootstrap import build_app
from bot.digest.window import recent
from bot.service import utc_now
from bot.settings import Settings

settings = Settings(corpus=sys.argv[1], data_dir=tempfile.mkdtemp())
app = build_app(settings, destinations=(), posters={})
app.start()
app.bot.ask("Who is Billy Boman?")
app.bot.digest(recent(utc_now() + timedelta(seconds=1)))
main = os.getpid()
open_to_ctrl_c = []
for status in glob.glob(f"/proc/{main}/task/*/status"):
    fields = dict(line.split(":\\t", 1) for line in open(status) if ":\\t" in line)
    blocked = int(fields["SigBlk"], 16)
    if int(fields["Pid"]) != main and not (blocked & (1 << 1) and blocked & (1 << 14)):
        open_to_ctrl_c.append(fields["Name"].strip())
print(len(glob.glob(f"/proc/{main}/task/*")), open_to_ctrl_c)
app.close()
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc thread masks")
def test_no_thread_but_the_main_one_takes_ctrl_c_after_asking_and_a_digest() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT / "seeds")],
        capture_output=True,
        text=True,
        check=True,
        timeout=180,
        cwd=ROOT,
    )
    threads, open_to_ctrl_c = out.stdout.strip().rsplit("\n", 1)[-1].split(" ", 1)
    assert int(threads) > 2  # model and BLAS workers did start
    assert open_to_ctrl_c == "[]"
