"""A damaged index cache is rebuilt with one warning, never served and never fatal.

Every test starts from a copy of one pristine cache of the seeds, damages a file of
its segment (``s-…/``), of its commit (``c-…/``) or its ``CURRENT`` pointer the way
a full disk, a crash or a stray edit would, and builds the bot again.
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


def _index(data: Path) -> Path:
    (entry,) = (data / "index").iterdir()
    return entry


def _commit(data: Path) -> Path:
    """The current commit's directory."""
    index = _index(data)
    return index / (index / "CURRENT").read_text(encoding="utf-8")


def _segment(data: Path) -> Path:
    """The current commit's one segment (the seeds are indexed into one)."""
    manifest = json.loads((_commit(data) / integrity.MANIFEST).read_text(encoding="utf-8"))
    (name,) = manifest["segments"]
    return _index(data) / name


def _files(directory: Path) -> list[str]:
    return sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file())


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
    assert damaged in warnings[0], warnings[0]
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
    "article_of.npy",
    "code_center.npy",
    "code_norms.npy",
    "codes.npy",
    "dense.npy",
    "docs.npy",
    "heading_of.npy",
    "lengths.npy",
    "ptr.npy",
    "refs.offsets.npy",
    "texts.offsets.npy",
    "tfs.npy",
]
#: The commit's files besides its manifest and check record.
COMMIT_FILES = ["deletions.json", "listing.json", "listing.names.txt", "listing.stamps.npy"]


@pytest.mark.parametrize("name", NPY_FILES)
def test_segment_npy_file_emptied_is_rebuilt_with_one_warning(
    data: Path, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    (_segment(data) / name).write_bytes(b"")
    _assert_rebuilt_once(data, caplog, name)


def test_npy_list_covers_every_npy_file_of_the_segment(pristine: Path) -> None:
    assert NPY_FILES == [n for n in _files(_segment(pristine)) if n.endswith(".npy")]


def test_commit_list_covers_every_file_of_the_commit(pristine: Path) -> None:
    assert _files(_commit(pristine)) == sorted(
        [*COMMIT_FILES, integrity.MANIFEST, integrity.CHECKED]
    )


@pytest.mark.parametrize("name", COMMIT_FILES)
def test_commit_file_emptied_is_rebuilt_with_one_warning(
    data: Path, caplog: pytest.LogCaptureFixture, name: str
) -> None:
    (_commit(data) / name).write_bytes(b"")
    _assert_rebuilt_once(data, caplog, name)


@pytest.mark.parametrize("at", [0.0, 0.5, 0.99])
@pytest.mark.parametrize("name", ["texts.bin", "docs.npy"])
def test_segment_flipped_bytes_are_rebuilt_with_one_warning(
    data: Path, caplog: pytest.LogCaptureFixture, name: str, at: float
) -> None:
    _flip(_segment(data) / name, at)
    _assert_rebuilt_once(data, caplog, name)


def test_flipped_bytes_in_any_file_are_rebuilt(
    pristine: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The check record only lets a large cache skip hashing: a damaged one costs a full check.
    skip = (integrity.MANIFEST, integrity.CHECKED)
    damages = [(_segment, n) for n in _files(_segment(pristine)) if n not in skip]
    damages += [(_commit, n) for n in COMMIT_FILES]
    names = {n for _, n in damages}
    assert {"texts.bin", "refs.jsonl", "terms.txt", "words.json", "headings.json"} <= names
    for where, name in damages:
        data = tmp_path / f"{where.__name__}-{name}"
        shutil.copytree(pristine, data)
        _flip(where(data) / name)
        _assert_rebuilt_once(data, caplog, name)


def test_same_length_edit_of_a_passage_is_not_served(
    data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    texts = _segment(data) / "texts.bin"
    raw = texts.read_bytes()
    assert raw.count(FACT) >= 1
    texts.write_bytes(raw.replace(FACT, FORGED))
    _assert_rebuilt_once(data, caplog, "texts.bin")


def test_same_length_edit_of_the_commit_manifest_is_not_served(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "empty.txt").write_text("")
    data = tmp_path / "data"
    build_bot(settings_for(corpus, data))
    manifest = _commit(data) / integrity.MANIFEST
    raw = manifest.read_bytes()
    assert b"empty file" in raw  # the corpus warnings are kept in the commit
    manifest.write_bytes(raw.replace(b"empty file", b"EMPTY FILE"))
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        bot = build_bot(settings_for(corpus, data))
    messages = [r.getMessage() for r in caplog.records]
    assert [w.message for w in bot.warnings] == ["empty file; skipped"]
    assert sum("index cache" in m and integrity.MANIFEST in m for m in messages) == 1
    assert not any("EMPTY FILE" in m for m in messages)


def test_same_length_edit_of_the_segment_manifest_is_rebuilt(
    data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    manifest = _segment(data) / integrity.MANIFEST
    record = json.loads(manifest.read_text(encoding="utf-8"))
    before, after = f'"passages":{record["passages"]}', f'"passages":{record["passages"] - 1}'
    assert len(before) == len(after)
    raw = manifest.read_bytes()
    assert before.encode() in raw
    manifest.write_bytes(raw.replace(before.encode(), after.encode()))
    _assert_rebuilt_once(data, caplog, integrity.MANIFEST)


def test_segment_file_deleted_is_rebuilt_with_one_warning(
    data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (_segment(data) / "ptr.npy").unlink()
    _assert_rebuilt_once(data, caplog, "ptr.npy")


def test_segment_deleted_is_rebuilt_with_one_warning(
    data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    segment = _segment(data)
    shutil.rmtree(segment)
    _assert_rebuilt_once(data, caplog, segment.name)


def test_current_pointing_nowhere_is_rebuilt_with_one_warning(
    data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (_index(data) / "CURRENT").write_text("c-000009-abcdef", encoding="utf-8")
    _assert_rebuilt_once(data, caplog, "c-000009-abcdef")


def test_current_emptied_is_rebuilt_with_one_warning_naming_it(
    data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (_index(data) / "CURRENT").write_bytes(b"")
    _assert_rebuilt_once(data, caplog, "CURRENT")


@pytest.mark.parametrize("where", ["segment", "commit"])
def test_unreadable_manifest_is_rebuilt_with_one_warning_naming_it(
    data: Path, caplog: pytest.LogCaptureFixture, where: str
) -> None:
    directory = _segment(data) if where == "segment" else _commit(data)
    (directory / integrity.MANIFEST).write_bytes(b"")
    _assert_rebuilt_once(data, caplog, integrity.MANIFEST)


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
    before = {p: p.stat().st_mtime_ns for p in _index(data).rglob("*")}
    for _ in range(2):
        hashed.clear()
        _start(data, caplog)
        assert {"texts.bin", "dense.npy", "listing.json"} <= set(hashed)
    assert {p: p.stat().st_mtime_ns for p in _index(data).rglob("*")} == before


# Large caches are hashed in full only when a file's status changed or the last full
# check is old (integrity.verify, per segment and per commit directory); the tests
# make every directory "large".


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cache directory counts as large."""
    monkeypatch.setattr(integrity, "FULL_CHECK_BYTES", 0)


@pytest.mark.usefixtures("large")
def test_large_cache_unchanged_since_its_check_is_not_hashed_again(
    data: Path, caplog: pytest.LogCaptureFixture, hashed: list[str]
) -> None:
    _start(data, caplog)
    # A copied cache is new to its check records: hashed once, segment and commit.
    assert {"texts.bin", "listing.json"} <= set(hashed)
    hashed.clear()
    bot, warnings = _start(data, caplog)
    assert warnings == [] and hashed == []
    _assert_serves_the_seeds(bot)


@pytest.mark.usefixtures("large")
def test_large_cache_edited_with_its_times_restored_is_rebuilt(
    data: Path, caplog: pytest.LogCaptureFixture, hashed: list[str]
) -> None:
    _start(data, caplog)  # recorded as checked
    texts = _segment(data) / "texts.bin"
    before = texts.stat()
    texts.write_bytes(texts.read_bytes().replace(FACT, FORGED))
    os.utime(texts, ns=(before.st_atime_ns, before.st_mtime_ns))  # the change time still moves
    hashed.clear()
    _assert_rebuilt_once(data, caplog, "texts.bin")
    assert "texts.bin" in hashed


@pytest.mark.usefixtures("large")
def test_large_cache_is_hashed_again_once_its_last_check_is_old(
    data: Path, caplog: pytest.LogCaptureFixture, hashed: list[str]
) -> None:
    _start(data, caplog)  # the copy's segment and commit recorded as checked
    segment = _segment(data)
    _flip(segment / "dense.npy")
    # Decay of the medium changes no file time: as if recorded sound after the change.
    manifest = json.loads((segment / integrity.MANIFEST).read_text(encoding="utf-8"))
    integrity.record_checked(segment, manifest)
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
    _start(data, caplog)
    segment = _segment(data)
    (segment / integrity.CHECKED).unlink()
    hashed.clear()
    bot, warnings = _start(data, caplog)
    assert warnings == [] and "texts.bin" in hashed
    assert "listing.json" not in hashed  # the commit's record stands: not hashed again
    _assert_serves_the_seeds(bot)
    assert (segment / integrity.CHECKED).is_file()  # recorded for next time


@pytest.mark.usefixtures("large")
def test_large_cache_with_a_garbled_check_record_is_hashed(
    data: Path, caplog: pytest.LogCaptureFixture, hashed: list[str]
) -> None:
    _start(data, caplog)
    (_segment(data) / integrity.CHECKED).write_bytes(b"\xff garbage")
    hashed.clear()
    bot, warnings = _start(data, caplog)
    assert warnings == [] and "texts.bin" in hashed  # the record only ever skips work
    _assert_serves_the_seeds(bot)


def test_cache_rebuilt_matches_the_pristine_one(
    pristine: Path, data: Path, caplog: pytest.LogCaptureFixture
) -> None:
    damaged = _segment(data)
    _flip(damaged / "dense.npy")
    _start(data, caplog)
    rebuilt = _segment(data)
    assert rebuilt.name != damaged.name
    for name in ("dense.npy", "docs.npy", "texts.offsets.npy"):
        assert np.array_equal(np.load(rebuilt / name), np.load(_segment(pristine) / name))
    assert (rebuilt / "texts.bin").read_bytes() == (_segment(pristine) / "texts.bin").read_bytes()
