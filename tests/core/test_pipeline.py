"""A build in worker processes, or streaming a big file, makes the same segment."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from bot.corpus.listing import scan
from bot.search import pipeline
from bot.search.pipeline import build_segment
from bot.search.segment import Segment

TEXT = "Kuaishou shipped Kling {n}.0 with clips up to {n}0s long. It runs on model {n}."


def _corpus(root: Path, files: int) -> list[str]:
    root.mkdir()
    for n in range(files):
        (root / f"a{n:03d}.md").write_text(f"Kling {n} arrives\n\n{TEXT.format(n=n)}\n")
    lines = [
        json.dumps({"id": f"j{n}", "title": f"Seedance {n}", "text": TEXT.format(n=n + 100)})
        for n in range(30)
    ]
    (root / "feed.jsonl").write_text("\n".join(lines) + "\n")
    return sorted(scan(root).files)


def _summary(segment: Segment) -> tuple[object, ...]:
    postings = segment.postings
    by_term = {
        t: (
            postings.docs[postings.ptr[i] : postings.ptr[i + 1]].tolist(),
            postings.tfs[postings.ptr[i] : postings.ptr[i + 1]].tolist(),
        )
        for i, t in enumerate(postings.terms)
    }
    return (
        [r.article_id for r in segment.refs],
        list(segment.files),
        list(segment.texts),
        segment.lengths.tolist(),
        by_term,
        segment.words(),
    )


def test_worker_processes_build_the_same_segment_as_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "corpus"
    files = _corpus(root, 40)
    alone = build_segment(root, files, None, workers=1)
    monkeypatch.setattr(pipeline, "POOL_MIN_FILES", 10)
    pooled = build_segment(root, files, None, workers=2)
    assert _summary(pooled.segment) == _summary(alone.segment)
    assert len(alone.segment.refs) == 70


def test_a_big_file_is_streamed_in_batches_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "corpus"
    files = _corpus(root, 5)
    whole = build_segment(root, files, None, workers=1)
    monkeypatch.setattr(pipeline, "BIG_FILE_BYTES", 1_000)  # feed.jsonl is bigger
    monkeypatch.setattr(pipeline, "BIG_FILE_BATCH", 7)
    streamed = build_segment(root, files, None, workers=1)
    assert _summary(streamed.segment) == _summary(whole.segment)
    assert np.array_equal(streamed.segment.article_of, whole.segment.article_of)


def test_a_duplicate_id_in_a_later_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.md").write_text("Kling arrives\n\nKuaishou shipped Kling.\n")
    (root / "b.jsonl").write_text(json.dumps({"id": "a", "text": "Another Kling story."}) + "\n")
    built = build_segment(root, ["a.md", "b.jsonl"], None, workers=1)
    assert [r.article_id for r in built.segment.refs] == ["a"]
    assert any("duplicate article id 'a'" in w.message for w in built.warnings)


def test_a_broken_worker_pool_falls_back_to_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "corpus"
    files = _corpus(root, 40)
    alone = build_segment(root, files, None, workers=1)
    monkeypatch.setattr(pipeline, "POOL_MIN_FILES", 10)
    monkeypatch.setattr(pipeline, "index_batch", _crash)  # every worker task dies
    built = build_segment(root, files, None, workers=2)
    assert _summary(built.segment) == _summary(alone.segment)
    assert "index workers failed; indexing in this process instead" in caplog.text


def _crash(*args: object) -> None:
    os._exit(3)  # as the OOM killer would
