"""An index updated by segments scores exactly as a fresh build of the same files.

Files are added, edited (rewritten or replaced), renamed and deleted in random
orders; after every step, and after merges, every passage's score for a set of
queries, the document frequencies and the surface words must equal those of an
index built from scratch over the corpus as it now is.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.corpus.listing import diff, scan
from bot.embed.lazy import LazyModel
from bot.search import update as update_module
from bot.search.index import SearchIndex
from bot.search.open import index_config, open_index
from bot.search.store import Commit
from bot.search.update import IndexConfig, build, merge, update, view

WORDS = (
    "model robot video open source release parameters benchmark chip agent coding "
    "reasoning dataset training inference latency price launch startup funding lab"
).split()
NAMES = ["RynnBrain", "Seedance", "Kling", "GLM-5", "Qwen", "MiniMax", "Doubao", "Hunyuan"]
QUERIES = [
    "rynnbrain parameters",
    "seedance video",
    "kling 3.0 launch",
    "glm-5 coding agent",
    "open source model release",
    "chip price",
    "qwen reasoning benchmark",
]


def _article(rng: random.Random, n: int) -> str:
    name = rng.choice(NAMES)
    title = f"{name} {rng.choice(WORDS)} {rng.choice(WORDS)} news {n}"
    paragraphs = []
    for _ in range(rng.randint(1, 4)):
        sentences = [
            " ".join(
                [
                    rng.choice([*WORDS, name, f"{rng.randint(1, 9)}.{rng.randint(0, 9)}"])
                    for _ in range(rng.randint(6, 30))
                ]
            ).capitalize()
            + "."
            for _ in range(rng.randint(1, 5))
        ]
        paragraphs.append(" ".join(sentences))
    return f"{title}\n\n" + "\n\n".join(paragraphs) + "\n"


def _config(corpus: Path, data: Path | None, **kwargs: object) -> IndexConfig:
    config = index_config(
        corpus, data or corpus.parent / "unused", "bm25", LazyModel("off", "static")
    )
    return replace(config, directory=config.directory if data else None, **kwargs)  # type: ignore[arg-type]


def _fresh(corpus: Path) -> SearchIndex:
    config = _config(corpus, None)
    return view(config, build(config, scan(config.root)))


def _by_passage(index: SearchIndex, query: str) -> dict[tuple[str, int], float]:
    scores = index.scores(index.tokenizer(query))
    return {
        (
            index.articles[int(index.passages.article_of[i])].article_id,
            index.passage_number(i),
        ): float(s)
        for i, s in enumerate(scores)
    }


def _assert_same(got: SearchIndex, want: SearchIndex) -> None:
    assert sorted(a.article_id for a in got.articles) == sorted(a.article_id for a in want.articles)
    assert len(got.passages) == len(want.passages)
    for query in QUERIES:
        assert _by_passage(got, query) == _by_passage(want, query), query  # exactly equal
    for term in {t for q in QUERIES for t in want.tokenizer(q)}:
        assert got.doc_freq.get(term, 0) == want.doc_freq.get(term, 0), term
    assert got.words == want.words
    texts = {(a.article_id, tuple(got.article_passages(i))) for i, a in enumerate(got.articles)}
    assert texts == {
        (a.article_id, tuple(want.article_passages(i))) for i, a in enumerate(want.articles)
    }


def _step(config: IndexConfig, commit: Commit) -> Commit:
    listing = scan(config.root)
    return update(config, commit, listing, diff(commit.listing, listing))


def _mutate(rng: random.Random, corpus: Path, counter: list[int]) -> None:
    files = sorted(corpus.rglob("*.md"))
    action = rng.choice(["add", "add", "edit", "replace", "delete", "rename"]) if files else "add"
    if action == "add":
        for _ in range(rng.randint(1, 3)):
            counter[0] += 1
            folder = corpus / rng.choice(["", "sub", "sub/deeper"])
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"a{counter[0]}.md").write_text(_article(rng, counter[0]))
    elif action in ("edit", "replace"):
        path = rng.choice(files)
        counter[0] += 1
        tmp = path.with_name(".tmp-edit")
        target = path if action == "edit" else tmp
        target.write_text(_article(rng, counter[0]))
        if action == "replace":
            tmp.replace(path)
    elif action == "delete":
        rng.choice(files).unlink()
    else:
        path = rng.choice(files)
        path.rename(path.with_name(f"renamed-{path.name}"))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_updates_score_exactly_as_a_fresh_build(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    counter = [0]
    for _ in range(6):
        _mutate(rng, corpus, counter)
    config = _config(corpus, tmp_path / "data")
    commit = build(config, scan(config.root))
    for _ in range(8):
        _mutate(rng, corpus, counter)
        commit = _step(config, commit)
        _assert_same(view(config, commit), _fresh(corpus))


def test_merges_keep_the_scores_and_drop_masked_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(update_module, "MAX_SEGMENTS", 3)
    rng = random.Random(9)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    counter = [0]
    _mutate(rng, corpus, counter)
    config = _config(corpus, tmp_path / "data")
    commit = build(config, scan(config.root))
    merged = 0
    for _ in range(12):
        _mutate(rng, corpus, counter)
        commit = _step(config, commit)
        joined = merge(config, commit)
        if joined is not None:
            merged += 1
            masked = sum(d.passages for _, _, d in commit.segments)
            assert len(joined.segments) < len(commit.segments) or (
                sum(d.passages for _, _, d in joined.segments) < masked
            )
            commit = joined
        assert len(commit.segments) <= 4
        _assert_same(view(config, commit), _fresh(corpus))
    assert merged >= 2


def test_a_mostly_deleted_segment_is_rewritten(tmp_path: Path) -> None:
    rng = random.Random(4)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(8):
        (corpus / f"a{n}.md").write_text(_article(rng, n))
    config = _config(corpus, tmp_path / "data")
    commit = build(config, scan(config.root))
    for n in range(4):
        (corpus / f"a{n}.md").unlink()
    commit = _step(config, commit)
    joined = merge(config, commit)
    assert joined is not None
    ((_, segment, deletions),) = joined.segments
    assert not deletions and len(segment.refs) == 4
    _assert_same(view(config, joined), _fresh(corpus))


def test_reopened_index_equals_the_one_that_was_written(tmp_path: Path) -> None:
    rng = random.Random(5)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    counter = [0]
    for _ in range(4):
        _mutate(rng, corpus, counter)
    config = _config(corpus, tmp_path / "data")
    written = build(config, scan(config.root))
    for _ in range(3):
        _mutate(rng, corpus, counter)
        written = _step(config, written)
    reopened = open_index(config)
    assert not reopened.new_articles
    assert [n for n, _, _ in reopened.commit.segments] == [n for n, _, _ in written.segments]
    _assert_same(view(config, reopened.commit), _fresh(corpus))


def test_dense_vectors_follow_the_segments(tmp_path: Path) -> None:
    rng = random.Random(6)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(5):
        (corpus / f"a{n}.md").write_text(_article(rng, n))
    static = LazyModel("bundled", "static")
    config = replace(
        _config(corpus, tmp_path / "data"),
        embed=static,
        expected={**_config(corpus, tmp_path / "data").expected, "dense": static.ident()},
    )
    commit = build(config, scan(config.root))
    (corpus / "a1.md").unlink()
    (corpus / "a9.md").write_text(_article(rng, 9))
    commit = _step(config, commit)
    got = view(config, commit)
    fresh_config = replace(config, directory=None)
    want = view(fresh_config, build(fresh_config, scan(config.root)))
    assert got.dense is not None and want.dense is not None
    order = {a.article_id: i for i, a in enumerate(want.articles)}
    for a, ref in enumerate(got.articles):
        start, end = got.article_span(a)
        w_start, w_end = want.article_span(order[ref.article_id])
        np.testing.assert_array_equal(got.dense.rows(start, end), want.dense.rows(w_start, w_end))


def test_an_id_skipped_as_a_duplicate_returns_when_its_holder_goes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "x.md").write_text("Kling 4.0 arrives\n\nKuaishou shipped Kling 4.0 today.\n")
    feed = corpus / "feed.jsonl"  # sorts first: its article "x" wins
    feed.write_text(
        '{"id": "x", "title": "Seedance 2.0", "text": "ByteDance shipped Seedance 2.0."}\n'
    )
    config = _config(corpus, tmp_path / "data")
    commit = build(config, scan(config.root))
    assert any("duplicate article id 'x'" in w.message for w in commit.warnings)
    feed.unlink()
    commit = _step(config, commit)
    index = view(config, commit)
    _assert_same(index, _fresh(corpus))
    assert "Kling" in index.search("kling 4.0", 1).hits[0].passage.text
    assert not any("duplicate" in w.message for w in commit.warnings)
