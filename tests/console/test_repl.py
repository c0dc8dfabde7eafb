"""`teambot console` end to end: piped input, and a real terminal typed into."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _env(data_dir: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("TEAMBOT_")}
    environ.update({"TEAMBOT_DATA_DIR": str(data_dir), "TERM": "dumb"})
    return environ


@pytest.mark.usefixtures("cached_index")  # tmp_path: the seeds' index, cached
def test_piped_session_answers_in_order_without_prompts(tmp_path: Path) -> None:
    lines = "What is a VLA model?\n/sources\n/search Qinglong\n/quit\nnever read\n"
    out = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input=lines,
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "teambot>" not in out.stdout
    vla = out.stdout.index("Vision-language-action")
    sources = out.stdout.index("5 articles:")
    search = out.stdout.index("1. China's Spring Festival AI Blitz")
    assert vla < sources < search
    assert out.stdout.rstrip().endswith("Bye.")
    assert "never read" not in out.stdout


@pytest.mark.usefixtures("cached_index")  # tmp_path: the seeds' index, cached
def test_console_ends_cleanly_at_end_of_input(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="Who is Billy Boman?\n",
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        timeout=120,
    )
    assert out.returncode == 0 and "advertising agency" in out.stdout


# x86-64 and arm64 numbers of the calls a terminal program waits in: read, poll,
# select, pselect6, ppoll.
_WAITING_FOR_INPUT = {"0", "7", "23", "270", "271", "63", "72", "73"}


class Terminal:
    """A program on a pseudo-terminal, read and typed into like a person would.

    ``expect`` waits for text that has not been read yet (pexpect's model), so a
    test never mistakes an old prompt for a new one.
    """

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the program
            # As a shell without job control starts a background job: Ctrl-C ignored.
            # (``make test &`` runs the tests like that; the console must cope.)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            os.execve(args[0], args, env)
        self.screen = ""
        self.cursor = 0

    def expect(self, text: str, timeout: float = 60) -> str:
        """Waits for ``text`` past what was read; returns everything up to and including it."""
        deadline = time.monotonic() + timeout
        while (found := self.screen.find(text, self.cursor)) < 0:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.fd], [], [], remaining)[0]:
                raise AssertionError(f"never saw {text!r}; screen:\n{self.screen}")
            try:
                chunk = os.read(self.fd, 4096).decode(errors="replace")
            except OSError:
                chunk = ""
            if not chunk:
                raise AssertionError(f"program ended; screen:\n{self.screen}")
            self.screen += chunk.replace("\r\n", "\n")
        seen, self.cursor = self.screen[self.cursor : found + len(text)], found + len(text)
        return seen

    def type(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def threads(self) -> str:
        """Each thread's signal masks and current system call (to explain a failure)."""
        lines = []
        for task in sorted(Path(f"/proc/{self.pid}/task").glob("*")):
            fields = dict(
                line.split(":\t", 1)
                for line in (task / "status").read_text().splitlines()
                if ":\t" in line
            )
            keep = ("SigBlk", "SigIgn", "SigCgt", "SigPnd", "ShdPnd")
            masks = " ".join(f"{k}={fields.get(k, '?').strip()}" for k in keep)
            lines.append(f"{task.name} {masks} syscall={(task / 'syscall').read_text().split()[0]}")
        return "\n".join(lines)

    def wait_for_keys(self, timeout: float = 30) -> None:
        """Waits until the program sits waiting for a key, as a person sees it do.

        A Ctrl-C that lands while readline is still drawing the prompt (it holds
        SIGINT back meanwhile) is delivered before Python waits for input, and
        CPython's readline loop only looks for signals when its wait is
        interrupted: that key is then acted on at the next one, a race no person
        at a keyboard meets but a loaded test machine does.
        """
        syscall = Path(f"/proc/{self.pid}/syscall")
        if not syscall.exists():
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            number = syscall.read_text().split(" ", 1)[0]
            if number in _WAITING_FOR_INPUT:
                return
            time.sleep(0.01)

    def wait(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            try:
                if select.select([self.fd], [], [], 0.1)[0]:
                    os.read(self.fd, 4096)
            except OSError:
                pass
        os.kill(self.pid, 9)
        raise AssertionError("console did not exit")


@pytest.mark.skipif(not hasattr(pty, "fork"), reason="needs a POSIX pseudo-terminal")
@pytest.mark.usefixtures("cached_index")  # tmp_path: the seeds' index, cached
def test_person_at_a_terminal_asks_and_quits(tmp_path: Path) -> None:
    term = Terminal([sys.executable, "-m", "bot", "console"], _env(tmp_path))
    term.expect("Ask a question, or /help for commands.")
    term.expect("teambot> ")
    term.type("Who is Billy Boman?\r")
    answer = term.expect("teambot> ")
    assert "advertising agency" in answer and "Sources:\n  [1] It's been a big" in answer
    term.wait_for_keys()
    term.type("\x03")  # Ctrl-C at the prompt: a fresh prompt, not an exit
    try:
        term.expect("teambot> ")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\nthreads:\n{term.threads()}") from None
    term.type("/help\r")
    assert "/quit           leave" in term.expect("teambot> ")
    term.type("\x04")  # Ctrl-D leaves
    assert term.wait() == 0
    assert (tmp_path / "console_history").read_text().count("Who is Billy Boman?") == 1
