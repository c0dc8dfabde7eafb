"""The index cache is reused only while the corpus and code are unchanged."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from bot.bootstrap import build_bot
from bot.errors import CorpusError
from bot.search import cache
from tests.conftest import settings_for


def _index_dir(data: Path) -> Path:
    (entry,) = (data / "index").iterdir()
    return entry


def _built(corpus: Path, data: Path, caplog: pytest.LogCaptureFixture) -> bool:
    """Builds the bot; True when the index was rebuilt rather than loaded."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="teambot"):
        build_bot(settings_for(corpus, data))
    return any(
        "building the index" in r.getMessage() or "rebuilding it" in r.getMessage()
        for r in caplog.records
    )


def test_second_start_loads_the_cache(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    assert _built(corpus, data, caplog)
    assert not _built(corpus, data, caplog)


def test_added_edited_and_deleted_files_rebuild(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    _built(corpus, data, caplog)
    (corpus / "new.md").write_text("Kling 4.0\n\nKuaishou shipped Kling 4.0 with 60s clips.\n")
    assert _built(corpus, data, caplog)
    bot = build_bot(settings_for(corpus, data))
    assert bot.search("Kling 4.0 clips").hits[0].passage.text.endswith("60s clips.")

    target = corpus / "new.md"
    target.write_text("Kling 4.0\n\nKuaishou shipped Kling 4.0 with 90s clips.\n")
    os.utime(target, ns=(1, 1))  # even an edit that keeps an old timestamp changes the size
    assert _built(corpus, data, caplog)
    best = build_bot(settings_for(corpus, data)).search("Kling 4.0 clips").hits[0]
    assert best.passage.text.endswith("90s clips.")

    target.unlink()
    assert _built(corpus, data, caplog)
    hits = build_bot(settings_for(corpus, data)).search("Kling 4.0 clips").hits
    assert all("Kling 4.0" not in h.passage.text for h in hits)


@pytest.mark.parametrize(
    "damage",
    [
        "manifest.json",
        "meta.json",
        "offsets.npy",
        "texts.bin",
        "engine/data.npy",
        "engine/vocab.json",
    ],
)
def test_corrupt_cache_is_rebuilt_not_trusted(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: str
) -> None:
    data = tmp_path / "data"
    _built(corpus, data, caplog)
    path = _index_dir(data) / damage
    path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 2)] + b"\xff garbage")
    assert _built(corpus, data, caplog)
    assert (
        build_bot(settings_for(corpus, data))
        .ask("How many parameters does RynnBrain have?")
        .answered
    )


def test_cache_from_another_version_is_rebuilt(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    _built(corpus, data, caplog)
    monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1)
    assert _built(corpus, data, caplog)
    assert "changed: format" in caplog.text


def test_each_engine_has_its_own_cache(corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    build_bot(settings_for(corpus, data))
    build_bot(settings_for(corpus, data, engine="rank-bm25"))
    assert sorted(p.name.rsplit("-", 1)[-1] for p in (data / "index").iterdir()) == [
        "bm25",
        "bm25s",
    ]


def test_unwritable_data_dir_still_answers(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    with caplog.at_level(logging.WARNING):
        bot = build_bot(settings_for(corpus, blocker / "data"))
    assert bot.ask("How many parameters does RynnBrain have?").answered
    assert "cannot cache the index" in caplog.text


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
    assert built.dense is not None and (_index_dir(data) / "dense.npy").is_file()
    loaded = build_bot(settings_for(corpus, data)).retriever.index
    assert loaded.dense is not None
    assert loaded.dense.matrix.shape == built.dense.matrix.shape
    assert abs(loaded.dense.matrix - built.dense.matrix).max() == 0
    assert loaded.words == built.words and loaded.words["rynnbrain"] > 0


def test_switching_the_embedding_model_rebuilds(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    build_bot(settings_for(corpus, data, embed_model="off"))
    assert build_bot(settings_for(corpus, data, embed_model="off")).retriever.index.dense is None
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="teambot"):
        bot = build_bot(settings_for(corpus, data))
    assert any("changed: dense" in r.getMessage() for r in caplog.records)
    assert bot.retriever.index.dense is not None
