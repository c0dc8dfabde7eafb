"""A live corpus: changes are picked up while the bot runs, without blocking answers."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

from bot.bootstrap import build_app
from bot.digest.window import recent
from bot.live import LiveBot
from bot.service import TeamBot
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
        before = app.bot.current
        assert not _finds_kling4(app.bot)
        first = app.bot.digest(recent(app.bot.clock() + timedelta(seconds=1)))
        (corpus / "kling4.md").write_text(NEW)
        assert _wait_for(lambda: app.bot.current is not before), "corpus change not picked up"
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
    assert app.bot.refresh() is True
    assert not _finds_kling4(app.bot)
    assert app.bot.refresh() is False  # nothing changed since
    app.close()


def test_answers_use_the_old_index_while_a_new_one_builds(seeds_bot: TeamBot) -> None:
    building, release = threading.Event(), threading.Event()

    def slow_rebuild() -> TeamBot:
        building.set()
        release.wait(30)
        return seeds_bot

    live = LiveBot(seeds_bot, rebuild=slow_rebuild, fingerprint=lambda: "changed")
    refresher = threading.Thread(target=live.refresh)
    refresher.start()
    assert building.wait(30)
    started = time.monotonic()
    answer = live.ask("How many parameters does RynnBrain have?")  # mid-rebuild
    assert answer.answered and time.monotonic() - started < 5
    release.set()
    refresher.join(30)


def test_a_failing_reload_keeps_the_current_index(seeds_bot: TeamBot) -> None:
    calls = []

    def broken() -> TeamBot:
        calls.append(1)
        raise RuntimeError("disk unplugged")

    live = LiveBot(seeds_bot, rebuild=broken, fingerprint=lambda: "changed")
    stop = threading.Event()
    live.watch(stop, every=0.05)
    assert _wait_for(lambda: len(calls) >= 2)
    stop.set()
    assert live.current is seeds_bot
    assert live.ask("What is a VLA model?").answered
