"""Shared fixtures: an isolated environment and a bot over the bundled seeds."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.bootstrap import build_bot
from bot.models import Answer, Citation
from bot.service import TeamBot
from bot.settings import BUNDLED_SEEDS, Settings
from tests.held_answers import HeldAnswers
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
def seeds_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data directory of ``seeds_bot``: its index cache, and its state."""
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def seeds_bot(seeds_data: Path) -> TeamBot:
    """A bot over the bundled seeds, built once for the whole session."""
    return build_bot(Settings(corpus=SEEDS, data_dir=seeds_data, _env_file=None))  # type: ignore[call-arg]


@pytest.fixture
def cached_index(seeds_bot: TeamBot, seeds_data: Path, tmp_path: Path) -> Path:
    """``tmp_path`` as a data directory holding the seeds' index cache and no state: a
    command line run on the seeds there loads the index instead of building it again
    (several seconds each), as it would after any earlier run."""
    shutil.copytree(seeds_data / "index", tmp_path / "index")
    return tmp_path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the seeds."""
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def ask_fails_once(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``TeamBot.ask`` raises "index exploded" the first time, then answers; records questions."""
    original = TeamBot.ask
    asked: list[str] = []

    def flaky(self: TeamBot, question: str) -> Answer:
        asked.append(question)
        if len(asked) == 1:
            raise RuntimeError("index exploded")
        return original(self, question)

    monkeypatch.setattr(TeamBot, "ask", flaky)
    return asked


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldAnswers]:
    """Every ``TeamBot.ask`` blocks until the test calls ``held.release()``: an answer
    slower than any platform deadline, without a test waiting out a clock."""
    answers = HeldAnswers()
    answers.install(monkeypatch)
    yield answers
    answers.release()  # a failed test must not leave a worker waiting


def settings_for(corpus: Path, data_dir: Path, **extra: object) -> Settings:
    """Settings that ignore any .env file."""
    return Settings(corpus=corpus, data_dir=data_dir, _env_file=None, **extra)  # type: ignore[call-arg]


@pytest.fixture
def answers_with_top_passage(monkeypatch: pytest.MonkeyPatch) -> None:
    """``TeamBot.ask`` answers with the best search passage, whatever its confidence:
    for tests of how adapters render article text (injection, escaping), not of
    whether a one-line article is worth answering."""

    def ask(self: TeamBot, question: str) -> Answer:
        hit = self.search(question, k=1).hits[0]
        quote = hit.passage.text
        return Answer(question, True, quote, (Citation(hit.passage.article, quote),), (), 1.0)

    monkeypatch.setattr(TeamBot, "ask", ask)
