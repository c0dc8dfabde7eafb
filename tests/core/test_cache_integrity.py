"""A damaged index cache is rebuilt with one warning, never served and never fatal.

Every test starts from a copy of one pristine cache of the seeds, damages it the
way a full disk, a crash or a stray edit would, and builds the bot again.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
import time_machine

from bot.bootstrap import build_bot
from bot.search import integrity
from bot.service import TeamBot
from tests.conftest import SEEDS, settings_for

FACT = b"30-billion-parameter"
FORGED = b"99-billion-parameter"  # the same length: only a checksum can tell


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding a freshly built cache of the seeds."""
    data = tmp_path_factory.mktemp("pristine")
    build_bot(settings_for(SEEDS, data))
    return data


@pytest.fixture
def data(pristine: Path, tmp_path: Path) -> Path:
    """A writable copy of the pristine data directory."""
    target = tmp_path / "data"
    shutil.copytree(pristine, target)
    return target


def _cache(data: Path) -> Path:
    (entry,) = (data / "index").iterdir()
    return entry


def _cache_files(pristine: Path) -> list[str]:
    root = _cache(pristine)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _start(data: Path, caplog: pytest.LogCaptureFixture) -> tuple[TeamBot, list[str]]:
    """Builds the bot; returns it with every warning logged while doing so."""
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        bot = build_bot(settings_for(SEEDS, data))
    return bot, [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def _assert_serves_the_seeds(bot: TeamBot) -> None:
    texts = [h.passage.text for h in bot.search("RynnBrain parameters", k=5).hits]
    assert FACT.decode() in texts[0]
    assert not any(FORGED.decode() in t for t in texts)
    answer = bot.ask("How many parameters does RynnBrain have?")
    assert answer.answered and "30" in answer.text


def _assert_rebuilt_once(data: Path, caplog: pytest.LogCaptureFixture, damaged: str) -> None:
    """The next start warns once naming the damage, serves the seeds, and the start
    after it finds a sound cache again."""
    bot, warnings = _start(data, caplog)
    assert len(warnings) == 1, warnings
    assert "index cache" in warnings[0] and "rebuilding" in warnings[0]
    assert damaged in warnings[0]
    _assert_serves_the_seeds(bot)
    bot, warnings = _start(data, caplog)
    assert warnings == []
    _assert_serves_the_seeds(bot)


def _flip(path: Path, at: float = 0.5, count: int = 8) -> None:
    raw = bytearray(path.read_bytes())
    start = min(int(len(raw) * at), max(0, len(raw) - count))
    for i in range(start, min(len(raw), start + count)):
        raw[i] ^= 0xFF
    path.write_bytes(bytes(raw))


NPY_FILES = [
    "offsets.npy",
    "article_of.npy",
    "heading_of.npy",
    "dense.npy",
    "engine/data.npy",
    "engine/indices.npy",
    "engine/indptr.npy",
]


@pytest.mark.parametrize("name", NPY_FILES)
def test_cache_npy_file_emptied_is_rebuilt_with_one_warning(
    data: Path, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    (_cache(data) / name).write_bytes(b"")
    _assert_rebuilt_once(data, caplog, name)


def test_cache_npy_list_covers_every_npy_file(pristine: Path) -> None:
    assert sorted(NPY_FILES) == sorted(n for n in _cache_files(pristine) if n.endswith(".npy"))


@pytest.mark.parametrize("at", [0.0, 0.5, 0.99])
@pytest.mark.parametrize("name", ["texts.bin", "engine/indices.npy"])
def test_cache_flipped_bytes_are_rebuilt_with_one_warning(
    data: Path, caplog: pytest.LogCaptureFixture, name: str, at: float
) -> None:
    _flip(_cache(data) / name, at)
    _assert_rebuilt_once(data, caplog, name)


def test_cache_flipped_bytes_in_any_file_are_rebuilt(
    pristine: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The check record only lets a large cache skip hashing: a damaged one costs a full check.
    names = [n for n in _cache_files(pristine) if n not in ("manifest.json", integrity.CHECKED)]
    assert "texts.bin" in names and "words.json" in names and "engine/vocab.json" in names
    for name in names:
        data = tmp_path / name.replace("/", "_")
        shutil.copytree(pristine, data)
        _flip(_cache(data) / name)
        _assert_rebuilt_once(data, caplog, name)


def test_cache_same_length_edit_of_a_passage_is_not_served(
    data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    texts = _cache(data) / "texts.bin"
    raw = texts.read_bytes()
    assert raw.count(FACT) >= 1
    texts.write_bytes(raw.replace(FACT, FORGED))
    _assert_rebuilt_once(data, caplog, "texts.bin")


def test_cache_same_length_edit_of_the_manifest_is_not_served(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "empty.txt").write_text("")
    data = tmp_path / "data"
    build_bot(settings_for(corpus, data))
    manifest = _cache(data) / "manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace(b"empty file", b"EMPTY FILE"))
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        bot = build_bot(settings_for(corpus, data))
    messages = [r.getMessage() for r in caplog.records]
    assert [w.message for w in bot.warnings] == ["empty file; skipped"]
    assert sum("index cache" in m and "manifest.json" in m for m in messages) == 1
    assert not any("EMPTY FILE" in m for m in messages)


def test_cache_deleted_file_is_rebuilt_with_one_warning(
    data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (_cache(data) / "engine" / "indptr.npy").unlink()
    _assert_rebuilt_once(data, caplog, "engine/indptr.npy")


def test_cache_unreadable_manifest_is_rebuilt_with_one_warning(
    data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (_cache(data) / "manifest.json").write_bytes(b"")
    _assert_rebuilt_once(data, caplog, "manifest.json")


def test_cache_absent_is_built_without_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bot, warnings = _start(tmp_path / "data", caplog)
    assert warnings == []
    _assert_serves_the_seeds(bot)


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every cache file hashed from now on."""
    names: list[str] = []
    original = integrity.file_sha256

    def spy(path: Path) -> str:
        names.append(path.name)
        return original(path)

    monkeypatch.setattr(integrity, "file_sha256", spy)
    return names


def test_small_cache_is_hashed_on_every_load_and_writes_nothing(
    data: Path, caplog: pytest.LogCaptureFixture, hashed: list[str]
) -> None:
    before = {p: p.stat().st_mtime_ns for p in _cache(data).rglob("*")}
    for _ in range(2):
        hashed.clear()
        _start(data, caplog)
        assert "texts.bin" in hashed and "dense.npy" in hashed
    assert {p: p.stat().st_mtime_ns for p in _cache(data).rglob("*")} == before


# Large caches are hashed in full only when a file's status changed or the last full
# check is old; the tests make every cache "large".


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cache counts as large."""
    monkeypatch.setattr(integrity, "FULL_CHECK_BYTES", 0)


@pytest.mark.usefixtures("large")
def test_large_cache_unchanged_since_its_check_is_not_hashed_again(
    data: Path, caplog: pytest.LogCaptureFixture, hashed: list[str]
) -> None:
    _start(data, caplog)
    assert "texts.bin" in hashed  # a copied cache is new to its check record: hashed once
    hashed.clear()
    bot, warnings = _start(data, caplog)
    assert warnings == [] and hashed == []
    _assert_serves_the_seeds(bot)


@pytest.mark.usefixtures("large")
def test_large_cache_edited_with_its_times_restored_is_rebuilt(
    data: Path, caplog: pytest.LogCaptureFixture, hashed: list[str]
) -> None:
    texts = _cache(data) / "texts.bin"
    before = texts.stat()
    texts.write_bytes(texts.read_bytes().replace(FACT, FORGED))
    os.utime(texts, ns=(before.st_atime_ns, before.st_mtime_ns))  # the change time still moves
    _assert_rebuilt_once(data, caplog, "texts.bin")
    assert "texts.bin" in hashed


@pytest.mark.usefixtures("large")
def test_large_cache_is_hashed_again_once_its_last_check_is_old(
    data: Path, caplog: pytest.LogCaptureFixture, hashed: list[str]
) -> None:
    cache = _cache(data)
    _flip(cache / "dense.npy")
    # Decay of the medium changes no file time: as if recorded sound after the change.
    integrity.record_checked(cache, json.loads((cache / integrity.MANIFEST).read_text()))
    hashed.clear()
    _, warnings = _start(data, caplog)
    assert warnings == [] and hashed == []  # trusted while its last full check is recent
    with time_machine.travel(time.time() + integrity.RECHECK_EVERY + 60, tick=False):
        _assert_rebuilt_once(data, caplog, "dense.npy")
    assert "dense.npy" in hashed


@pytest.mark.usefixtures("large")
def test_large_cache_without_its_check_record_is_hashed(
    data: Path, caplog: pytest.LogCaptureFixture, hashed: list[str]
) -> None:
    (_cache(data) / integrity.CHECKED).unlink()
    bot, warnings = _start(data, caplog)
    assert warnings == [] and "texts.bin" in hashed
    _assert_serves_the_seeds(bot)
    assert (_cache(data) / integrity.CHECKED).is_file()  # recorded for next time


def test_cache_rebuilt_matches_the_pristine_one(
    pristine: Path, data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _flip(_cache(data) / "dense.npy")
    _start(data, caplog)
    rebuilt = np.load(_cache(data) / "dense.npy")
    assert np.array_equal(rebuilt, np.load(_cache(pristine) / "dense.npy"))
