"""Fixtures for digests: a bot over a writable corpus, and a real PostgreSQL server."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.bootstrap import build_bot
from bot.service import TeamBot, utc_now
from bot.state.open import open_store
from bot.state.store import SqlStore
from tests.conftest import settings_for


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    s = open_store(None, tmp_path / "state")
    yield s
    s.close()


@pytest.fixture
def make_bot(corpus: Path, tmp_path: Path, store: SqlStore):  # type: ignore[no-untyped-def]
    """Builds a bot over the writable corpus copy, sharing one state store."""

    def make(**settings: object) -> TeamBot:
        return build_bot(
            settings_for(corpus, tmp_path / "data", **settings), state=store, clock=utc_now
        )

    return make


def at(text: str) -> datetime:
    """An aware UTC datetime from ``YYYY-MM-DD HH:MM``."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _server_binaries() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """A PostgreSQL cluster of the tests' own, in a temporary directory, on a free port.

    Tests may stop it and start it again (a restart keeps its data and port).
    """

    def __init__(self, bindir: Path) -> None:
        # Not under pytest's (root-only) temp root: the server's own user must reach it.
        self.base = Path(tempfile.mkdtemp(prefix="teambot-pg-"))
        os.chmod(self.base, 0o777)
        # PostgreSQL refuses to run as root; as root, run it as the package's postgres user.
        self._as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self._bindir = bindir
        self.data, self.port = self.base / "data", _free_port()
        self.url = f"postgresql://teambot@127.0.0.1:{self.port}/postgres"
        self._run(
            "initdb", "-D", str(self.data), *"-U teambot --auth=trust -E UTF8 --no-sync".split()
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.base / "log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        command = [*self._as_user, str(self._bindir / program), *args]
        subprocess.run(command, check=True, capture_output=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The tests' PostgreSQL server, running (skips when there are no server binaries)."""
    bindir = _server_binaries()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries (initdb); .ci/run installs Debian's postgresql")
    server = PostgresServer(bindir)
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def postgres_url(postgres: PostgresServer) -> str:
    """The URL of the tests' PostgreSQL server."""
    return postgres.url
