"""The corpus listing: a full scan, a cheap check at start, a diff, a refresh from events."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from bot.corpus.listing import Changes, Listing, diff, quick_scan, refresh, scan
from bot.corpus.loader import corpus_files
from bot.errors import CorpusError

HOUR_NS = 3600 * 10**9


def _tree(root: Path, dirs: int = 3, subdirs: int = 2, files: int = 5) -> Path:
    for d in range(dirs):
        for s in range(subdirs):
            folder = root / f"d{d}" / f"s{s}"
            folder.mkdir(parents=True)
            for f in range(files):
                (folder / f"f{f}.txt").write_text(f"article {d}-{s}-{f}")
    return root


def _settle(root: Path) -> None:
    """Dates every directory an hour back: a corpus at rest, its mtimes older than any scan."""
    past = time.time_ns() - HOUR_NS
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        os.utime(folder, ns=(past, past))


class _Spy:
    """Counts the directories os.scandir reads and the files whose entries are stat-ed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.listed: list[str] = []
        self.file_stats = 0
        real = os.scandir

        def scandir(path: Any) -> _Entries:
            self.listed.append(os.fspath(path))
            with real(path) as entries:
                return _Entries([_Entry(e, self) for e in entries])

        monkeypatch.setattr(os, "scandir", scandir)


class _Entries(list[Any]):
    def __enter__(self) -> _Entries:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class _Entry:
    def __init__(self, entry: os.DirEntry[str], spy: _Spy) -> None:
        self._entry, self._spy, self.name = entry, spy, entry.name

    def is_dir(self) -> bool:
        return self._entry.is_dir()

    def is_symlink(self) -> bool:
        return self._entry.is_symlink()

    def stat(self) -> os.stat_result:
        self._spy.file_stats += 1
        return self._entry.stat()


def test_scan_lists_the_files_corpus_files_lists(tmp_path: Path) -> None:
    (tmp_path / "world" / "2024").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text("ref")
    (tmp_path / "world" / "a.txt").write_text("a")
    (tmp_path / "world" / "2024" / "b.MD").write_text("b")
    (tmp_path / "world" / "2024" / "c.jsonl").write_text("{}")
    (tmp_path / "world" / ".draft.txt").write_text("hidden")
    (tmp_path / "world" / "photo.jpg").write_bytes(b"\xff")
    (tmp_path / "top.md").write_text("top")
    (tmp_path / "alias.txt").symlink_to(tmp_path / "top.md")
    (tmp_path / "elsewhere").symlink_to(tmp_path / "world")  # a directory link: not entered
    listing = scan(tmp_path)
    expected = {p.relative_to(tmp_path).as_posix() for p in corpus_files(tmp_path)}
    assert set(listing.files) == expected
    assert set(listing.files) == {
        "alias.txt",
        "top.md",
        "world/a.txt",
        "world/2024/b.MD",
        "world/2024/c.jsonl",
    }
    assert set(listing.dirs) == {"", "world", "world/2024"}
    assert listing.root == str(tmp_path.resolve())


def test_scan_stamps_size_and_times(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("12345")
    os.utime(tmp_path / "a.txt", ns=(1, 7_000_000_000))
    stamp = scan(tmp_path).files["a.txt"]
    assert (stamp.size, stamp.mtime_ns) == (5, 7_000_000_000)
    assert stamp.ctime_ns == os.stat(tmp_path / "a.txt").st_ctime_ns


def test_scan_of_a_single_file_corpus(tmp_path: Path) -> None:
    article = tmp_path / "only.txt"
    article.write_text("one")
    listing = scan(article)
    assert list(listing.files) == [""]
    assert listing.path("") == article.resolve()
    assert listing.dirs == {}


def test_scan_of_a_missing_root_raises_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="corpus not found: .*nowhere"):
        scan(tmp_path / "nowhere")
    with pytest.raises(CorpusError, match="corpus not found"):
        quick_scan(tmp_path / "nowhere", Listing(str(tmp_path), {}, {"": 0}))


def test_scan_skips_unreadable_directories_and_dangling_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path, dirs=2, subdirs=1, files=1)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing")
    real = os.scandir

    def scandir(path: Any) -> Any:
        if os.fspath(path).endswith("d1"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    listing = scan(tmp_path)
    assert set(listing.files) == {"d0/s0/f0.txt"}
    assert "d1" not in listing.dirs


def test_quick_scan_reads_no_directory_when_nothing_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _settle(_tree(tmp_path))
    stored = scan(tmp_path)
    spy = _Spy(monkeypatch)
    again = quick_scan(tmp_path, stored)
    assert (spy.listed, spy.file_stats) == ([], 0)
    assert again.files == stored.files
    assert not diff(stored, again)


def test_quick_scan_sees_add_delete_and_rename_reading_only_changed_directories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _settle(_tree(tmp_path))
    stored = scan(tmp_path)
    (tmp_path / "d0" / "s0" / "new.txt").write_text("new")
    (tmp_path / "d1" / "s1" / "f2.txt").unlink()
    (tmp_path / "d2" / "s0" / "f3.txt").rename(tmp_path / "d2" / "s1" / "moved.txt")
    spy = _Spy(monkeypatch)
    fresh = quick_scan(tmp_path, stored)
    changed = {"d0/s0", "d1/s1", "d2/s0", "d2/s1"}
    assert {Path(p).relative_to(tmp_path).as_posix() for p in spy.listed} == changed
    assert spy.file_stats == 6 + 4 + 4 + 6  # the files of those four directories only
    assert diff(stored, fresh) == Changes(
        added=("d0/s0/new.txt", "d2/s1/moved.txt"),
        deleted=("d1/s1/f2.txt", "d2/s0/f3.txt"),
    )
    assert fresh.files == scan(tmp_path).files


def test_quick_scan_sees_new_and_removed_directories(tmp_path: Path) -> None:
    _settle(_tree(tmp_path))
    stored = scan(tmp_path)
    (tmp_path / "d0" / "s0" / "deeper" / "deepest").mkdir(parents=True)
    (tmp_path / "d0" / "s0" / "deeper" / "deepest" / "x.md").write_text("x")
    for path in sorted((tmp_path / "d1").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    (tmp_path / "d1").rmdir()
    (tmp_path / "d2").rename(tmp_path / "d9")
    fresh = quick_scan(tmp_path, stored)
    assert fresh.files == scan(tmp_path).files
    assert set(fresh.dirs) == set(scan(tmp_path).dirs)
    changes = diff(stored, fresh)
    assert changes.added[0] == "d0/s0/deeper/deepest/x.md"
    assert len(changes.added) == 1 + 10 and len(changes.deleted) == 10 + 10


def test_quick_scan_lists_again_a_directory_changed_in_the_tick_of_its_scan(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.txt").write_text("a")
    stored = scan(tmp_path)  # the root's mtime is as recent as the scan: not trusted
    mtime = os.stat(tmp_path).st_mtime_ns
    (tmp_path / "b.txt").write_text("b")
    os.utime(tmp_path, ns=(mtime, mtime))  # as if added within the same timestamp tick
    assert diff(stored, quick_scan(tmp_path, stored)).added == ("b.txt",)


def test_in_place_edit_is_missed_by_quick_scan_and_seen_by_scan(tmp_path: Path) -> None:
    _settle(_tree(tmp_path))
    stored = scan(tmp_path)
    (tmp_path / "d0" / "s1" / "f1.txt").write_text("a longer, corrected article")
    assert not diff(stored, quick_scan(tmp_path, stored))  # the documented limit
    assert diff(stored, scan(tmp_path)) == Changes(modified=("d0/s1/f1.txt",))


def test_edit_that_keeps_size_and_restores_mtime_is_seen_through_ctime(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("version 1")
    before = os.stat(article)
    stored = scan(tmp_path)
    time.sleep(0.02)  # ctime must move on by more than one timestamp tick
    article.write_text("version 2")
    os.utime(article, ns=(before.st_atime_ns, before.st_mtime_ns))  # as rsync -t or cp -p do
    assert diff(stored, scan(tmp_path)) == Changes(modified=("a.txt",))


def test_listing_survives_a_json_round_trip(tmp_path: Path) -> None:
    _settle(_tree(tmp_path, dirs=2, subdirs=2, files=2))
    listing = scan(tmp_path)
    again = Listing.from_json(json.loads(json.dumps(listing.to_json())))
    assert again == listing
    assert again.taken_ns == listing.taken_ns
    assert quick_scan(tmp_path, again).files == listing.files


@pytest.mark.parametrize(
    "obj",
    [
        [],
        {"format": 99, "root": "/c", "taken_ns": 0, "dirs": {}, "files": {}},
        {"format": 1, "root": "relative", "taken_ns": 0, "dirs": {}, "files": {}},
        {"format": 1, "root": "/c", "taken_ns": "0", "dirs": {}, "files": {}},
        {"format": 1, "root": "/c", "taken_ns": 0, "dirs": [], "files": {}},
        {"format": 1, "root": "/c", "taken_ns": 0, "dirs": {"a": 1.5}, "files": {}},
        {"format": 1, "root": "/c", "taken_ns": 0, "dirs": {}, "files": {"a.txt": [1, 2]}},
        {"format": 1, "root": "/c", "taken_ns": 0, "dirs": {}, "files": {"a.txt": [1, 2, True]}},
        {"format": 1, "root": "/c", "taken_ns": 0, "dirs": {}, "files": {"../x.txt": [1, 2, 3]}},
        {"format": 1, "root": "/c", "taken_ns": 0, "dirs": {"a//b": 1}, "files": {}},
        {"format": 1, "root": "/c", "taken_ns": 0, "dirs": {}, "files": {"a/.x.txt": [1, 2, 3]}},
        {"format": 1, "root": "/c", "taken_ns": 0, "dirs": {}},
    ],
)
def test_malformed_listing_json_raises_value_error(obj: object) -> None:
    with pytest.raises(ValueError, match="listing"):
        Listing.from_json(obj)


def test_listing_mappings_are_read_only(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    listing = scan(tmp_path)
    with pytest.raises(TypeError):
        listing.files["b.txt"] = listing.files["a.txt"]  # type: ignore[index]


def test_diff_refuses_listings_of_different_roots(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="different roots"):
        diff(Listing("/a", {}, {}), Listing("/b", {}, {}))


def test_changes_are_false_when_empty() -> None:
    assert not Changes()
    assert Changes(deleted=("a.txt",))


def test_refresh_restats_only_the_paths_given(tmp_path: Path) -> None:
    _settle(_tree(tmp_path))
    stored = scan(tmp_path)
    (tmp_path / "d0" / "s0" / "f0.txt").write_text("edited in place, longer")
    (tmp_path / "d0" / "s0" / "f1.txt").write_text("edited but not reported, longer")
    (tmp_path / "d1" / "s0" / "f0.txt").unlink()
    (tmp_path / "d1" / "s0" / "added.md").write_text("new")
    paths = [tmp_path / p for p in ("d0/s0/f0.txt", "d1/s0/f0.txt", "d1/s0/added.md")]
    assert diff(stored, refresh(tmp_path, stored, paths)) == Changes(
        added=("d1/s0/added.md",), modified=("d0/s0/f0.txt",), deleted=("d1/s0/f0.txt",)
    )


def test_refresh_lists_a_new_directory_whole_and_drops_a_removed_one(tmp_path: Path) -> None:
    _settle(_tree(tmp_path))
    stored = scan(tmp_path)
    (tmp_path / "d3" / "inner").mkdir(parents=True)
    (tmp_path / "d3" / "top.txt").write_text("t")
    (tmp_path / "d3" / "inner" / "deep.txt").write_text("d")
    (tmp_path / "d2").rename(tmp_path / "d4")
    reported = [tmp_path / "d3" / "inner" / "deep.txt", tmp_path / "d2", tmp_path / "d4"]
    fresh = refresh(tmp_path, stored, reported)
    assert fresh.files == scan(tmp_path).files
    assert set(fresh.dirs) == set(scan(tmp_path).dirs)


def test_refresh_ignores_hidden_outside_and_unknown_paths(tmp_path: Path) -> None:
    _settle(_tree(tmp_path, dirs=1, subdirs=1, files=1))
    stored = scan(tmp_path)
    (tmp_path / ".draft.txt").write_text("hidden")
    (tmp_path / "notes.pdf").write_text("not an article")
    paths = [tmp_path / ".draft.txt", tmp_path / "notes.pdf", tmp_path / "4913", Path("/etc/x")]
    assert refresh(tmp_path, stored, paths).files == stored.files


def test_refresh_of_the_root_takes_a_full_scan(tmp_path: Path) -> None:
    _settle(_tree(tmp_path, dirs=1, subdirs=1, files=2))
    stored = scan(tmp_path)
    (tmp_path / "d0" / "s0" / "f0.txt").write_text("edited in place, longer")
    fresh = refresh(tmp_path, stored, [tmp_path])
    assert diff(stored, fresh) == Changes(modified=("d0/s0/f0.txt",))
