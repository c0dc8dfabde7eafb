"""What the load benchmarks share: the teambot process under test, an HTTP flood that
does little work of its own, and the figures they print (``bench/load.py``)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "bench" / "data" / "team_chat_questions.jsonl"
KINDS = 20  # distinct questions a flood cycles through
CONNECT_BATCH = 100  # connections opened at once: below aiohttp's default listen backlog


def questions() -> list[str]:
    """The first ``KINDS`` team-chat questions about the bundled seeds."""
    with QUESTIONS.open(encoding="utf-8") as lines:
        return [json.loads(line)["question"] for line in lines][:KINDS]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_bot(
    checkout: Path, platform: str, env: dict[str, str], *extra: str
) -> subprocess.Popen[bytes]:
    """``teambot <platform>`` from the source tree ``checkout``, over the bundled seeds,
    with ``env`` over a clean environment."""
    prefixes = ("SLACK_", "DISCORD_", "TEAMBOT_")
    environ = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    environ.update(env)
    command = [sys.executable, "-m", "bot", platform, *extra]
    # Run from the checkout: its packages come first on the path.
    return subprocess.Popen(command, env=environ, cwd=checkout, stderr=subprocess.DEVNULL)


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) a process has used so far; 0 where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine() -> str:
    """What else the machine was doing: the figures are wall-clock times."""
    return f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"


def percentiles(seconds: list[float]) -> str:
    ordered = sorted(seconds)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    return (
        f"p50 {at(0.5):.2f} s, p90 {at(0.9):.2f} s, p99 {at(0.99):.2f} s, max {ordered[-1]:.2f} s"
    )


async def wait_until(
    done: Callable[[], bool], patience: float, progress: Callable[[], int]
) -> None:
    """Waits until ``done()``, or until ``progress()`` has not grown for ``patience`` s."""
    last, since = progress(), time.monotonic()
    while not done() and time.monotonic() - since < patience:
        await asyncio.sleep(0.5)
        if progress() != last:
            last, since = progress(), time.monotonic()


def report(
    title: str, acks: list[float], accepted: set[str], got: Counter[str], want: dict[str, int]
) -> None:
    """Prints the ack figures and the exactly-once check: ``want`` holds the messages
    each question's answer has, ``got`` the answer messages each one received."""
    turned_away = [key for key in want if key not in accepted]
    wrong = [key for key in accepted if got[key] != want[key]]
    answered_away = [key for key in turned_away if got[key]]
    print(f"{title}: {len(want)} in flight; ack {percentiles(acks)}")
    print(
        f"  accepted {len(accepted)}, told busy {len(turned_away)}; accepted but not "
        f"answered exactly once: {len(wrong)}; told busy but answered: {len(answered_away)}"
    )


class _Exchange(asyncio.Protocol):
    """One request on one connection: its send time, and its response when complete."""

    def __init__(self, done: asyncio.Future[tuple[float, int, bytes]]) -> None:
        self._done = done
        self._buffer = bytearray()
        self._sent = 0.0
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def send(self, request: bytes) -> None:
        assert self.transport is not None
        self._sent = time.monotonic()
        self.transport.write(request)

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        head, found, body = bytes(self._buffer).partition(b"\r\n\r\n")
        if not found or self._done.done():
            return
        lines = head.decode("latin-1").split("\r\n")
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        if len(body) >= length:
            status = int(lines[0].split()[1])
            self._done.set_result((time.monotonic() - self._sent, status, body[:length]))

    def connection_lost(self, exc: Exception | None) -> None:
        if not self._done.done():
            self._done.set_exception(exc or ConnectionError("closed before the response"))


def request_bytes(port: int, path: str, body: str, headers: dict[str, str]) -> bytes:
    """A complete HTTP/1.1 POST."""
    data = body.encode()
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Content-Length: {len(data)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


async def _flood(port: int, requests: list[bytes]) -> list[tuple[float, int, bytes]]:
    loop = asyncio.get_running_loop()
    exchanges: list[tuple[_Exchange, asyncio.Future[tuple[float, int, bytes]]]] = []
    for start in range(0, len(requests), CONNECT_BATCH):
        batch = []
        for _ in requests[start : start + CONNECT_BATCH]:
            done: asyncio.Future[tuple[float, int, bytes]] = loop.create_future()
            exchange = _Exchange(done)
            batch.append(loop.create_connection(lambda e=exchange: e, "127.0.0.1", port))  # type: ignore[misc]
            exchanges.append((exchange, done))
        await asyncio.gather(*batch)
    for (exchange, _), request in zip(exchanges, requests, strict=True):
        exchange.send(request)
    results = await asyncio.gather(*(done for _, done in exchanges))
    for exchange, _ in exchanges:
        assert exchange.transport is not None
        exchange.transport.close()
    return results


def flood(port: int, requests: list[bytes]) -> list[tuple[float, int, bytes]]:
    """Opens a connection for each request, then writes every request at once; returns
    each one's (seconds from its write to its whole response, status, body).

    Runs in a process of its own, so that its work is not the server's or the fakes'.
    """
    return asyncio.run(_flood(port, requests))
