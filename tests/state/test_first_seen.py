"""First-seen times rebuilt consistently: with the index cached but the state lost, the first
digest lists what the second does."""

from __future__ import annotations

import json
from pathlib import Path

from bot.bootstrap import build_bot
from bot.digest.window import recent
from bot.state.open import SQLITE_NAME, open_store
from tests.cli.test_cli import run
from tests.conftest import settings_for
from tests.digest.conftest import at


def test_first_digest_after_the_state_is_lost_lists_what_the_next_one_does(
    corpus: Path, tmp_path: Path
) -> None:
    settings = settings_for(corpus, tmp_path / "data")
    build_bot(settings, state=open_store(None, tmp_path / "lost"))  # builds the index cache
    store = open_store(None, tmp_path / "new")  # the state database deleted; the cache kept
    bot = build_bot(settings, state=store)
    first = bot.digest(recent(bot.clock()))
    second = bot.digest(recent(bot.clock()))
    assert first.stories, "the first digest found nothing new"
    assert [s.headline for s in first.stories] == [s.headline for s in second.stories]
    store.close()


def test_first_seen_times_are_never_later_than_now_nor_before_loading(
    corpus: Path, tmp_path: Path
) -> None:
    settings = settings_for(corpus, tmp_path / "data")
    build_bot(settings, state=open_store(None, tmp_path / "lost"))
    store = open_store(None, tmp_path / "new")
    now = [at("2026-03-01 12:00")]
    bot = build_bot(settings, state=store, clock=lambda: now[0])
    now[0] = at("2026-03-01 13:00")
    # A digest of a past day records the new articles when the bot loaded them, not then.
    bot.digest(recent(at("2026-02-01 00:00")))
    assert set(store.see([], now[0]).values()) == {at("2026-03-01 12:00")}
    store.close()


def test_first_digest_after_the_state_database_is_deleted_lists_the_stories(
    cached_index: Path,
) -> None:
    data = cached_index  # the seeds' index cache, as any earlier run leaves it
    assert run("digest", data_dir=data).returncode == 0  # and the state it records
    for path in data.glob(f"{SQLITE_NAME}*"):
        path.unlink()
    first, second = (json.loads(run("digest", "--json", data_dir=data).stdout) for _ in "12")
    assert first["stories"], "the first digest found nothing new"
    assert first["stories"] == second["stories"]
