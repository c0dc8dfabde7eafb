"""The corpus watcher reports what changed, in batches, from OS events or by polling."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.corpus.listing import refresh, scan
from bot.corpus.watch import CorpusWatcher, _fs_type

#: Generous: events arrive in well under a second; a loaded CI machine may be slow.
WAIT = 10.0


class Recorder:
    """The batches a watcher delivered, and a way to wait for the one that matters."""

    def __init__(self, failures: int = 0) -> None:
        self.batches: list[set[Path]] = []
        self.blocked: set[int] = set()
        self._failures = failures
        self._changed = threading.Condition()

    def __call__(self, paths: set[Path]) -> None:
        self.blocked = set(signal.pthread_sigmask(signal.SIG_BLOCK, []))
        with self._changed:
            self.batches.append(paths)
            self._changed.notify_all()
        if self._failures:
            self._failures -= 1
            raise RuntimeError("index exploded")

    @property
    def seen(self) -> set[Path]:
        return set().union(*self.batches)

    def wait_until(self, done: Callable[[], bool]) -> bool:
        """Waits for a batch after which ``done()`` holds; False after ``WAIT`` seconds."""
        with self._changed:
            return self._changed.wait_for(done, timeout=WAIT)

    def wait_for(self, *paths: Path) -> None:
        found = self.wait_until(lambda: set(paths) <= self.seen)
        assert found, f"not reported: {set(paths) - self.seen}"


Start = Callable[..., tuple[CorpusWatcher, Recorder]]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "world").mkdir(parents=True)
    (root / "world" / "old.txt").write_text("an old article")
    return root.resolve()


@pytest.fixture
def start(corpus: Path) -> Iterator[Start]:
    """Starts a watcher on ``corpus`` (keywords go to CorpusWatcher); stops it afterwards."""
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def start(failures: int = 0, **options: object) -> tuple[CorpusWatcher, Recorder]:
        recorder = Recorder(failures)
        options.setdefault("poll_seconds", 0.05)
        watcher = CorpusWatcher(corpus, recorder, **options)  # type: ignore[arg-type]
        threads.append(watcher.start(stop))
        assert watcher.wait_ready(WAIT)
        return watcher, recorder

    yield start
    stop.set()
    for thread in threads:
        thread.join(WAIT)


def test_create_modify_and_delete_are_reported(corpus: Path, start: Start) -> None:
    watcher, recorder = start()
    assert watcher.mode == "events"
    new = corpus / "world" / "new.md"
    new.write_text("a new article")
    recorder.wait_for(new)
    (corpus / "world" / "old.txt").write_text("an old article, corrected")
    recorder.wait_for(corpus / "world" / "old.txt")
    new.unlink()
    assert recorder.wait_until(lambda: recorder.batches[-1] == {new})


def test_rename_within_the_tree_reports_both_names(corpus: Path, start: Start) -> None:
    _, recorder = start()
    (corpus / "world" / "old.txt").rename(corpus / "world" / "renamed.txt")
    recorder.wait_for(corpus / "world" / "old.txt", corpus / "world" / "renamed.txt")
    (corpus / "world").rename(corpus / "europe")
    recorder.wait_for(corpus / "world", corpus / "europe")


def test_moves_out_of_the_tree_are_reported_as_deleted(
    corpus: Path, tmp_path: Path, start: Start
) -> None:
    (corpus / "sport").mkdir()
    (corpus / "sport" / "match.txt").write_text("a match")
    _, recorder = start()
    (corpus / "world" / "old.txt").rename(tmp_path / "old.txt")
    shutil.move(corpus / "sport", tmp_path / "sport")  # a directory: one event, no child's
    recorder.wait_for(corpus / "world" / "old.txt", corpus / "sport")


def test_a_burst_of_1000_files_arrives_whole_in_few_calls(corpus: Path, start: Start) -> None:
    _, recorder = start()
    burst = [corpus / "world" / f"wire-{n:04}.txt" for n in range(1000)]
    for path in burst:
        path.write_text(f"wire story {path.stem}")
    recorder.wait_for(*burst)
    assert len(recorder.batches) <= 10


def test_a_new_directory_with_files_is_enough_for_refresh(corpus: Path, start: Start) -> None:
    stored = scan(corpus)
    _, recorder = start()
    nested = corpus / "asia" / "2024" / "05"
    nested.mkdir(parents=True)
    for n in range(20):
        (nested / f"story-{n}.txt").write_text(f"story {n}")
    (corpus / "asia" / "2024" / "summary.md").write_text("month summary")
    recorder.wait_for(corpus / "asia")
    assert recorder.wait_until(  # the last file's own event, when there is one, may come later
        lambda: refresh(corpus, stored, recorder.seen).files == scan(corpus).files
    )


def test_hidden_and_temporary_files_are_ignored(corpus: Path, start: Start) -> None:
    _, recorder = start()
    ignored = [
        corpus / "world" / ".old.txt.swp",
        corpus / "world" / "old.txt~",
        corpus / "world" / "#old.txt#",
        corpus / "world" / ".#old.txt",
        corpus / ".drafts" / "draft.txt",
        corpus / "notes.pdf",
    ]
    (corpus / ".drafts").mkdir()
    for path in ignored:
        path.write_text("not an article")
    for path in ignored[:3]:
        path.unlink()
    last = corpus / "world" / "last.txt"
    last.write_text("written after all the others")
    recorder.wait_for(last)
    assert recorder.seen.isdisjoint(ignored) and corpus / ".drafts" not in recorder.seen


def test_polling_sees_create_modify_and_delete(corpus: Path, start: Start) -> None:
    watcher, recorder = start(force_polling=True)
    assert watcher.mode == "polling"
    new = corpus / "new.txt"
    new.write_text("new")
    recorder.wait_for(new)
    (corpus / "world" / "old.txt").write_text("an old article, corrected")
    recorder.wait_for(corpus / "world" / "old.txt")
    count = len(recorder.batches)
    new.unlink()
    assert recorder.wait_until(lambda: any(new in b for b in recorder.batches[count:]))
    assert corpus not in recorder.seen  # the root's own mtime moves with every file in it


def test_polling_reports_a_directory_whose_entries_changed(corpus: Path, start: Start) -> None:
    # refresh then lists it again, and drops what it saw there that no scan saw
    _, recorder = start(force_polling=True)
    (corpus / "world" / "extra.txt").write_text("extra")
    recorder.wait_for(corpus / "world" / "extra.txt", corpus / "world")


def test_polling_compares_its_first_scan_with_the_initial_listing(
    corpus: Path, start: Start
) -> None:
    initial = scan(corpus)
    (corpus / "world" / "old.txt").write_text("corrected while the bot was down")
    _, recorder = start(force_polling=True, initial=initial)
    recorder.wait_for(corpus / "world" / "old.txt")


def test_polling_is_the_fallback_when_os_events_fail(
    corpus: Path, start: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    import watchfiles

    def no_events(*paths: object, **options: object) -> Iterator[set[tuple[int, str]]]:
        raise OSError(28, "OS file watch limit reached")

    monkeypatch.setattr(watchfiles, "watch", no_events)
    watcher, recorder = start()
    assert watcher.mode == "polling"
    new = corpus / "new.txt"
    new.write_text("new")
    recorder.wait_for(new)


def test_a_corpus_on_a_network_file_system_is_polled(
    corpus: Path, start: Start, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.corpus.watch._fs_type", lambda path: "nfs4")
    watcher, recorder = start()
    assert watcher.mode == "polling"
    (corpus / "new.txt").write_text("written on another machine, say")
    recorder.wait_for(corpus / "new.txt")


def test_fs_type_is_that_of_the_longest_mount_point_above_the_path(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/sda1 / ext4 rw 0 0\n"
        "server:/export /mnt/news nfs4 rw,relatime 0 0\n"
        "//nas/share /mnt/news\\040archive cifs rw 0 0\n"
    )
    assert _fs_type("/mnt/news/world/a.txt", str(mounts)) == "nfs4"
    assert _fs_type("/mnt/news archive/2024", str(mounts)) == "cifs"
    assert _fs_type("/mnt/newsroom", str(mounts)) == "ext4"
    assert _fs_type("/mnt/news", str(tmp_path / "no-such-table")) is None


def test_a_failing_callback_is_logged_and_watching_goes_on(
    corpus: Path, start: Start, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="teambot"):
        _, recorder = start(failures=1)
        (corpus / "first.txt").write_text("first")
        recorder.wait_for(corpus / "first.txt")
        (corpus / "second.txt").write_text("second")
        recorder.wait_for(corpus / "second.txt")
    assert "corpus change not applied (1 paths): RuntimeError: index exploded" in caplog.text


def test_the_watcher_thread_leaves_signals_to_the_main_thread(corpus: Path, start: Start) -> None:
    _, recorder = start()
    (corpus / "new.txt").write_text("new")
    recorder.wait_for(corpus / "new.txt")
    assert {signal.SIGINT, signal.SIGTERM} <= recorder.blocked


class _Missing(logging.Handler):
    """Sets ``logged`` when the watcher warns that the corpus is missing."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.logged = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if "is missing" in record.getMessage():
            self.logged.set()


def test_a_deleted_root_is_waited_for_and_reported_when_back(corpus: Path, start: Start) -> None:
    missing = _Missing()
    logging.getLogger("teambot").addHandler(missing)
    try:
        _, recorder = start()
        shutil.rmtree(corpus)
        recorder.wait_for(corpus)
        assert missing.logged.wait(WAIT)
    finally:
        logging.getLogger("teambot").removeHandler(missing)
    count = len(recorder.batches)
    corpus.mkdir()
    (corpus / "back.txt").write_text("back")
    # the root again, as a whole: anything may have changed while it was away
    assert recorder.wait_until(lambda: any(corpus in b for b in recorder.batches[count:]))


@pytest.mark.parametrize("force_polling", [False, True])
def test_setting_stop_ends_the_thread_promptly(corpus: Path, force_polling: bool) -> None:
    stop = threading.Event()
    watcher = CorpusWatcher(
        corpus, lambda paths: None, poll_seconds=3600, force_polling=force_polling
    )
    thread = watcher.start(stop)
    assert watcher.wait_ready(WAIT)
    stop.set()
    thread.join(WAIT)  # an hour between polls: only the stop event can end it this soon
    assert not thread.is_alive()


def test_a_single_file_corpus_is_watched_through_its_directory(tmp_path: Path) -> None:
    article = tmp_path / "only.txt"
    article.write_text("one")
    (tmp_path / "neighbour.txt").write_text("not the corpus")
    recorder = Recorder()
    stop = threading.Event()
    watcher = CorpusWatcher(article, recorder, poll_seconds=0.05)
    thread = watcher.start(stop)
    try:
        assert watcher.wait_ready(WAIT)
        (tmp_path / "neighbour.txt").write_text("changed")
        replacement = tmp_path / "only.txt.new"
        replacement.write_text("one, replaced")
        os.replace(replacement, article)  # an editor's atomic save
        recorder.wait_for(article.resolve())
        assert recorder.seen == {article.resolve()}
    finally:
        stop.set()
        thread.join(WAIT)
