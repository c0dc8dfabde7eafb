"""The index on disk is reused, brought up to date incrementally, and rebuilt only
when it is damaged or was made by other code or settings.

Layout (``bot.search.store``): ``<data>/index/<key>/`` holds ``CURRENT``, commit
directories ``c-…/`` and segment directories ``s-…/``.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.bootstrap import build_app, build_bot
from bot.errors import CorpusError
from bot.search import open as index_open
from bot.service import TeamBot
from tests.conftest import settings_for

KLING = "Kling 4.0\n\nKuaishou shipped Kling 4.0 with {} clips.\n"
#: Older than ``bot.corpus.listing.RACY_NS`` before any scan: a directory time this
#: old is trusted by ``quick_scan``, so only a real change makes it list the directory.
SETTLED_SECONDS = 3600


def _index_dir(data: Path) -> Path:
    (entry,) = (data / "index").iterdir()
    return entry


def _segments(data: Path) -> list[str]:
    """The segments of the current commit, in index order."""
    index = _index_dir(data)
    commit = index / (index / "CURRENT").read_text(encoding="utf-8")
    return list(json.loads((commit / "manifest.json").read_text(encoding="utf-8"))["segments"])


def _settle(directory: Path) -> None:
    """Sets the directory's modification time an hour back, as if untouched since."""
    then = time.time() - SETTLED_SECONDS
    os.utime(directory, (then, then))


def _start(
    corpus: Path, data: Path, caplog: pytest.LogCaptureFixture, **extra: object
) -> tuple[TeamBot, list[str]]:
    """Builds the bot; returns it with every message logged at INFO and above."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="teambot"):
        bot = build_bot(settings_for(corpus, data, **extra))
    return bot, [r.getMessage() for r in caplog.records]


def _rebuilt(messages: list[str]) -> bool:
    return any("building the index" in m or "rebuilding it" in m for m in messages)


def _updates(messages: list[str]) -> list[str]:
    prefix = "corpus changed since the index was saved: "
    return [m.removeprefix(prefix) for m in messages if m.startswith(prefix)]


def _texts(bot: TeamBot, query: str) -> list[str]:
    return [h.passage.text for h in bot.search(query).hits]


def test_second_start_loads_the_cache(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    _, messages = _start(corpus, data, caplog)
    assert _rebuilt(messages)
    segments, current = _segments(data), (_index_dir(data) / "CURRENT").read_text()
    bot, messages = _start(corpus, data, caplog)
    assert not _rebuilt(messages) and _updates(messages) == []
    assert any("index loaded" in m for m in messages)
    assert _segments(data) == segments
    assert (_index_dir(data) / "CURRENT").read_text() == current
    assert bot.ask("How many parameters does RynnBrain have?").answered


def test_added_file_is_indexed_into_a_new_segment(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    _settle(corpus)
    _start(corpus, data, caplog)
    (before,) = _segments(data)
    (corpus / "new.md").write_text(KLING.format("60s"))
    bot, messages = _start(corpus, data, caplog)
    assert not _rebuilt(messages) and _updates(messages) == ["1 added"]
    assert _texts(bot, "Kling 4.0 clips")[0].endswith("60s clips.")
    assert bot.article_count() == 6
    segments = _segments(data)
    assert len(segments) == 2 and segments[0] == before  # the old segment is kept as it was
    index = bot.retriever.index
    assert index.dense is not None and len(index.dense) == len(index.passages)
    _, messages = _start(corpus, data, caplog)
    assert not _rebuilt(messages) and _updates(messages) == []


def test_file_replaced_by_rename_is_picked_up(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    target = corpus / "new.md"
    target.write_text(KLING.format("60s"))
    _settle(corpus)
    _start(corpus, data, caplog)
    old = target.stat()
    # As editors save: a new file renamed over the old one, here with the old times.
    swap = corpus / ".new.md.swp"
    swap.write_text(KLING.format("90s"))
    os.utime(swap, ns=(old.st_atime_ns, old.st_mtime_ns))
    os.replace(swap, target)
    bot, messages = _start(corpus, data, caplog)
    assert not _rebuilt(messages) and _updates(messages) == ["1 changed"]
    texts = _texts(bot, "Kling 4.0 clips")
    assert texts[0].endswith("90s clips.")
    assert not any("60s" in t for t in texts)  # the old version is masked, not served
    assert bot.article_count() == 6


def test_deleted_file_is_dropped(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    (corpus / "new.md").write_text(KLING.format("60s"))
    _settle(corpus)
    _start(corpus, data, caplog)
    (corpus / "new.md").unlink()
    bot, messages = _start(corpus, data, caplog)
    assert not _rebuilt(messages) and _updates(messages) == ["1 deleted"]
    assert all("Kling 4.0" not in t for t in _texts(bot, "Kling 4.0 clips"))
    assert bot.article_count() == 5


def _ranked(bot: TeamBot, query: str) -> list[tuple[str, float]]:
    """The BM25 hits of ``query``: article ids and scores, best first."""
    hits = bot.retriever.index.search(query).hits
    return [(h.passage.article.article_id, h.score) for h in hits]


def test_updated_index_scores_as_a_fresh_build(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Masked articles take their share of the statistics with them (bot.search.update).
    (corpus / "gone.md").write_text(KLING.format("60s"))
    (corpus / "edited.md").write_text("RynnBrain notes\n\nRynnBrain has parameters.\n")
    _settle(corpus)
    _start(corpus, tmp_path / "data", caplog)
    (corpus / "gone.md").unlink()
    (corpus / ".edited.md.swp").write_text("RynnBrain notes\n\nRynnBrain runs robots.\n")
    os.replace(corpus / ".edited.md.swp", corpus / "edited.md")
    (corpus / "new.md").write_text(KLING.format("90s") + "RynnBrain parameters again.\n")
    updated, messages = _start(corpus, tmp_path / "data", caplog)
    assert _updates(messages) == ["1 added, 1 changed, 1 deleted"]
    fresh, messages = _start(corpus, tmp_path / "fresh", caplog)
    assert _rebuilt(messages)
    assert updated.article_count() == fresh.article_count() == 7
    for query in ("Kling 4.0 clips", "RynnBrain parameters", "RynnBrain robots", "model"):
        got, want = _ranked(updated, query), _ranked(fresh, query)
        assert got and [a for a, _ in got] == [a for a, _ in want]
        assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=1e-9)


def test_in_place_edit_is_left_to_the_full_scan_of_the_running_bot(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # By design a cached start reads directory times only (bot.corpus.listing.quick_scan):
    # an edit that rewrites a file in place leaves its directory's time alone and is
    # seen by the running bot's full scan (LiveCorpus.refresh) and watcher instead.
    data = tmp_path / "data"
    target = corpus / "new.md"
    target.write_text(KLING.format("60s"))
    _settle(corpus)
    _start(corpus, data, caplog)
    target.write_text(KLING.format("90s"))
    bot, messages = _start(corpus, data, caplog)
    assert not _rebuilt(messages) and _updates(messages) == []
    assert _texts(bot, "Kling 4.0 clips")[0].endswith("60s clips.")

    app = build_app(settings_for(corpus, data))
    try:
        assert app.corpus.refresh() is True
        assert _texts(app.bot, "Kling 4.0 clips")[0].endswith("90s clips.")
    finally:
        app.close()
    bot, messages = _start(corpus, data, caplog)  # the refresh was saved
    assert not _rebuilt(messages) and _updates(messages) == []
    assert _texts(bot, "Kling 4.0 clips")[0].endswith("90s clips.")


def _truncate_with_garbage(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 2)] + b"\xff garbage")


def _in_segment(name: str) -> Callable[[Path], Path]:
    return lambda data: _index_dir(data) / _segments(data)[0] / name


def _in_commit(name: str) -> Callable[[Path], Path]:
    def find(data: Path) -> Path:
        index = _index_dir(data)
        return index / (index / "CURRENT").read_text(encoding="utf-8") / name

    return find


@pytest.mark.parametrize(
    "where",
    [
        pytest.param(_in_segment(n), id=f"segment/{n}")
        for n in ("manifest.json", "texts.bin", "refs.jsonl", "terms.txt", "docs.npy")
    ]
    + [
        pytest.param(_in_commit(n), id=f"commit/{n}")
        for n in ("manifest.json", "listing.json", "listing.stamps.npy")
    ],
)
def test_corrupt_cache_is_rebuilt_not_trusted(
    corpus: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    where: Callable[[Path], Path],
) -> None:
    data = tmp_path / "data"
    _start(corpus, data, caplog)
    _truncate_with_garbage(where(data))
    bot, messages = _start(corpus, data, caplog)
    assert sum("rebuilding it" in m for m in messages) == 1
    assert bot.ask("How many parameters does RynnBrain have?").answered
    _, messages = _start(corpus, data, caplog)
    assert not _rebuilt(messages)


@pytest.mark.parametrize(
    ("name", "value", "field"),
    [
        ("FORMAT", index_open.FORMAT + 1, "format"),
        ("__version__", "0.0.0-another", "teambot"),
        ("code_digest", lambda: "0" * 16, "code"),
        ("PASSAGE_WORDS", index_open.PASSAGE_WORDS + 1, "passage_words"),
        ("np", SimpleNamespace(__version__="1.0.0-another"), "numpy"),  # the codes' rotation
    ],
)
def test_cache_from_another_version_is_rebuilt(
    corpus: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    value: object,
    field: str,
) -> None:
    data = tmp_path / "data"
    _start(corpus, data, caplog)
    (before,) = _segments(data)
    monkeypatch.setattr(index_open, name, value)
    bot, messages = _start(corpus, data, caplog)
    assert f"building the index (changed: {field})" in messages
    assert not any(r.levelno >= logging.WARNING for r in caplog.records)  # stale, not damaged
    assert _segments(data) != [before]
    assert bot.ask("How many parameters does RynnBrain have?").answered


def test_relative_and_absolute_corpus_paths_share_one_index(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    relative = Path(os.path.relpath(corpus, Path.cwd()))
    assert not relative.is_absolute()
    _, messages = _start(relative, data, caplog)
    assert _rebuilt(messages)
    bot, messages = _start(corpus.resolve(), data, caplog)
    assert not _rebuilt(messages) and _updates(messages) == []
    assert len(list((data / "index").iterdir())) == 1
    assert bot.ask("How many parameters does RynnBrain have?").answered


def test_both_engines_share_one_cache(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    first, _ = _start(corpus, data, caplog)
    assert first.retriever.index.engine == "bm25"
    segments = _segments(data)
    for engine in ("rank-bm25", "bm25s"):  # bm25s: the old name of bm25, still accepted
        bot, messages = _start(corpus, data, caplog, engine=engine)
        assert not _rebuilt(messages) and _updates(messages) == []
        assert _segments(data) == segments
        assert bot.retriever.index.engine == ("rank-bm25" if engine == "rank-bm25" else "bm25")
        assert _texts(bot, "RynnBrain parameters")[0] == _texts(first, "RynnBrain parameters")[0]
    assert len(list((data / "index").iterdir())) == 1


def _start_unwritable(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> tuple[TeamBot, list[str]]:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")  # the data directory would have to be inside a file
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        bot = build_bot(settings_for(corpus, blocker / "data"))
    return bot, [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_unwritable_data_dir_still_answers(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bot, warnings = _start_unwritable(corpus, tmp_path, caplog)
    assert bot.ask("How many parameters does RynnBrain have?").answered
    assert sum("cannot cache the index" in w for w in warnings) == 1


def test_unwritable_data_dir_is_not_called_a_damaged_cache(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _, warnings = _start_unwritable(corpus, tmp_path, caplog)
    assert not any("damaged" in w for w in warnings), warnings


def test_corpus_warnings_are_replayed_from_the_cache(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (corpus / "empty.txt").write_text("")
    data = tmp_path / "data"
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            bot = build_bot(settings_for(corpus, data))
        assert [r.getMessage() for r in caplog.records] == [
            f"{corpus / 'empty.txt'}: empty file; skipped"
        ]
    assert len(bot.warnings) == 1


def test_corpus_with_no_articles_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "empty.txt").write_text("")
    with pytest.raises(CorpusError, match="no articles in"):
        build_bot(settings_for(tmp_path / "c", tmp_path / "data"))


def test_dense_vectors_are_cached_and_reloaded(corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    built = build_bot(settings_for(corpus, data)).retriever.index
    (segment,) = _segments(data)
    assert built.dense is not None and (_index_dir(data) / segment / "dense.npy").is_file()
    loaded = build_bot(settings_for(corpus, data)).retriever.index
    assert loaded.dense is not None
    assert loaded.dense.matrix.shape == built.dense.matrix.shape
    assert len(loaded.dense.matrix) == len(loaded.passages) > 0
    assert abs(loaded.dense.matrix - built.dense.matrix).max() == 0
    assert loaded.words == built.words and loaded.words["rynnbrain"] > 0


def test_switching_the_embedding_model_rebuilds(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    _start(corpus, data, caplog, embed_model="off")
    bot, messages = _start(corpus, data, caplog, embed_model="off")
    assert not _rebuilt(messages) and bot.retriever.index.dense is None
    bot, messages = _start(corpus, data, caplog)
    assert any("changed: dense" in m for m in messages)
    assert bot.retriever.index.dense is not None
    bot, messages = _start(corpus, data, caplog, embed_model="off")
    assert any("changed: dense" in m for m in messages)
    assert bot.retriever.index.dense is None


def test_a_single_file_corpus_loads_its_cache(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A one-file corpus lists one file named "" (the corpus is its own root); the
    stored listing must keep that name, or every start calls the cache damaged."""
    corpus = tmp_path / "articles.jsonl"
    corpus.write_text(
        '{"id": "a", "title": "Kling 3.0", "text": "Kuaishou released Kling 3.0 this week."}\n'
    )
    data = tmp_path / "data"
    _start(corpus, data, caplog)
    (before,) = _segments(data)
    bot, messages = _start(corpus, data, caplog)
    assert not _rebuilt(messages)
    assert not any(r.levelno >= logging.WARNING for r in caplog.records)
    assert _segments(data) == [before] and bot.search("Kling").hits
