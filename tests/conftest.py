"""Shared fixtures: an isolated environment and a bot over the bundled seeds."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.bootstrap import build_bot
from bot.service import TeamBot
from bot.settings import BUNDLED_SEEDS, Settings
from tests.loop import LoopThread

SEEDS = BUNDLED_SEEDS


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No TEAMBOT_* variables or .env from the developer's shell leak into a test."""
    import os

    for name in list(os.environ):
        if name.startswith("TEAMBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    yield


@pytest.fixture
def loop() -> Iterator[LoopThread]:
    """An event loop on its own thread, for the chat adapters and their fake servers."""
    thread = LoopThread()
    yield thread
    thread.close()


@pytest.fixture(scope="session")
def seeds_bot(tmp_path_factory: pytest.TempPathFactory) -> TeamBot:
    """A bot over the bundled seeds, built once for the whole session."""
    data = tmp_path_factory.mktemp("data")
    return build_bot(Settings(corpus=SEEDS, data_dir=data, _env_file=None))  # type: ignore[call-arg]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the seeds."""
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target)
    return target


def settings_for(corpus: Path, data_dir: Path, **extra: object) -> Settings:
    """Settings that ignore any .env file."""
    return Settings(corpus=corpus, data_dir=data_dir, _env_file=None, **extra)  # type: ignore[call-arg]
