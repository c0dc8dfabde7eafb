"""A live corpus: changes are picked up while the bot runs, without blocking answers."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot import live as live_module
from bot.bootstrap import build_app
from bot.digest.window import recent
from tests.conftest import settings_for

NEW = "Kling 4.0 Arrives\n\nKuaishou shipped Kling 4.0 with clips up to 60s long.\n"


def _finds_kling4(bot: object) -> bool:
    """Whether the Kling 4.0 article is what a search for it finds first."""
    hits = bot.search("Kling 4.0 clips").hits  # type: ignore[attr-defined]
    return bool(hits) and "60s" in hits[0].passage.text


def _wait_for(condition, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_added_file_becomes_searchable_and_enters_the_next_digest(
    corpus: Path, tmp_path: Path
) -> None:
    app = build_app(settings_for(corpus, tmp_path / "data", reload_seconds=1))
    app.start()
    try:
        before = app.bot.fingerprint
        assert not _finds_kling4(app.bot)
        first = app.bot.digest(recent(app.bot.clock() + timedelta(seconds=1)))
        # The first window reaches a second ahead; an article seen inside it belongs
        # to it. A scheduled window ends when it is posted, never ahead.
        assert _wait_for(lambda: app.bot.clock() > first.until)
        (corpus / "kling4.md").write_text(NEW)
        assert _wait_for(lambda: app.bot.fingerprint != before), "corpus change not picked up"
        assert _finds_kling4(app.bot)
        window = recent(app.bot.clock() + timedelta(seconds=1))
        window = type(window)(since=first.until, until=window.until)
        ids = {a.article_id for s in app.bot.digest(window).stories for a in s.articles}
        assert ids == {"kling4"}
    finally:
        app.close()


def test_removed_file_is_no_longer_found(corpus: Path, tmp_path: Path) -> None:
    (corpus / "kling4.md").write_text(NEW)
    app = build_app(settings_for(corpus, tmp_path / "data"))
    assert _finds_kling4(app.bot)
    (corpus / "kling4.md").unlink()
    assert app.corpus.refresh() is True
    assert not _finds_kling4(app.bot)
    assert app.corpus.refresh() is False  # nothing changed since
    app.close()


def _patch_update(monkeypatch: pytest.MonkeyPatch, replacement: object) -> None:
    monkeypatch.setattr(live_module, "update", replacement)


def test_answers_use_the_old_index_while_a_new_one_builds(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build_app(settings_for(corpus, tmp_path / "data"))
    building, release = threading.Event(), threading.Event()
    real = live_module.update

    def slow_update(*args: object, **kwargs: object) -> object:
        building.set()
        release.wait(30)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    _patch_update(monkeypatch, slow_update)
    (corpus / "kling4.md").write_text(NEW)
    refresher = threading.Thread(target=app.corpus.refresh)
    refresher.start()
    try:
        assert building.wait(30)
        answer = app.bot.ask("How many parameters does RynnBrain have?")  # mid-update
        assert answer.answered
        assert not _finds_kling4(app.bot)
    finally:
        release.set()
        refresher.join(30)
    assert _finds_kling4(app.bot)
    app.close()


def test_a_failing_reload_keeps_the_current_index_and_is_retried(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build_app(settings_for(corpus, tmp_path / "data", reload_seconds=1))
    before = app.bot.fingerprint
    calls = []
    real = live_module.update

    def broken(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) < 3:
            raise RuntimeError("disk unplugged")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    _patch_update(monkeypatch, broken)
    (corpus / "kling4.md").write_text(NEW)
    app.start()
    try:
        assert _wait_for(lambda: len(calls) >= 2)
        assert app.bot.ask("What is a VLA model?").answered
        assert _wait_for(lambda: _finds_kling4(app.bot)), "a failed update is never retried"
        assert app.bot.fingerprint != before
    finally:
        app.close()
