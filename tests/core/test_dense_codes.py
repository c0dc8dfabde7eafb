"""Hybrid search ranks candidates chosen with sign codes; the top results must be
the exact ones, and the codes must follow the segments through saves, updates,
deletions and merges."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.corpus.listing import diff, scan
from bot.embed.lazy import LazyModel
from bot.search import hybrid
from bot.search import update as update_module
from bot.search.codes import encode
from bot.search.dense import best
from bot.search.hybrid import Retriever
from bot.search.index import SearchIndex
from bot.search.open import index_config, open_index
from bot.search.store import Commit
from bot.search.update import IndexConfig, build, merge, update, view
from tests.bench_scripts import load_bench_script
from tests.core.test_segments import QUERIES, _article

STATIC = LazyModel("bundled", "static")
MORE_QUERIES = [*QUERIES, "who raised funding for the robot lab", "inference latency of 4.2"]


def _config(corpus: Path, data: Path) -> IndexConfig:
    config = index_config(corpus, data, "bm25", STATIC)
    return replace(config, embed=STATIC)


def _corpus(tmp_path: Path, articles: int, seed: int) -> Path:
    rng = random.Random(seed)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(articles):
        (corpus / f"a{n}.md").write_text(_article(rng, n))
    return corpus


def _step(config: IndexConfig, commit: Commit) -> Commit:
    listing = scan(config.root)
    return update(config, commit, listing, diff(commit.listing, listing))


def _assert_candidates_give_the_exact_ranking(index: SearchIndex, k: int) -> None:
    approx = Retriever(index, STATIC, 0.35)
    exact = Retriever(index, STATIC, 0.35, exact=True)
    assert index.dense is not None and 2 * hybrid.CANDIDATES_PER_RESULT * k < len(index.dense)
    for query in MORE_QUERIES:
        got, want = approx.passages(query, k), exact.passages(query, k)
        assert [r.position for r in got] == [r.position for r in want], query
        np.testing.assert_allclose([r.fused for r in got], [r.fused for r in want], atol=1e-6)
        assert [r.bm25_top for r in got] == [r.bm25_top for r in want], query


def _assert_codes_in_sync(commit: Commit) -> None:
    for _, segment, _ in commit.segments:
        assert segment.dense is not None and segment.codes is not None
        fresh = encode(np.asarray(segment.dense))
        np.testing.assert_array_equal(np.asarray(segment.codes.words), fresh.words)
        np.testing.assert_allclose(segment.codes.norms, fresh.norms, rtol=1e-6)
        np.testing.assert_allclose(segment.codes.center, fresh.center, rtol=1e-6)


def test_estimated_cosines_rank_the_best_passages_near_the_top() -> None:
    rng = np.random.default_rng(3)
    common = rng.standard_normal(256)  # a shared direction, as static embeddings have
    topics = rng.standard_normal((100, 256))
    matrix = np.repeat(topics, 20, axis=0) + 0.6 * rng.standard_normal((2000, 256)) + common
    matrix = (matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).astype(np.float32)
    codes = encode(matrix)
    found = []
    for query in matrix[::100] + 0.1 * rng.standard_normal((20, 256)).astype(np.float32):
        query /= np.linalg.norm(query)
        best = set(np.argsort(-(matrix @ query))[:10].tolist())
        estimated = set(np.argsort(-codes.estimate(query))[:50].tolist())
        found.append(len(best & estimated) / 10)
    assert np.mean(found) >= 0.75  # 0.86 as written; a random 50 of 2,000 would find 2.5%


def test_candidates_return_the_exact_top_passages_on_a_small_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hybrid, "CANDIDATES_PER_RESULT", 2)  # a pool well short of the corpus
    corpus = _corpus(tmp_path, 40, seed=4)
    config = replace(_config(corpus, tmp_path / "data"), directory=None)
    _assert_candidates_give_the_exact_ranking(view(config, build(config, scan(corpus))), k=5)


def test_codes_survive_save_and_load(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, 8, seed=5)
    config = _config(corpus, tmp_path / "data")
    written = build(config, scan(corpus))
    reopened = open_index(config)
    assert not reopened.new_articles
    for (_, saved, _), (_, loaded, _) in zip(
        written.segments, reopened.commit.segments, strict=True
    ):
        assert saved.codes is not None and loaded.codes is not None
        np.testing.assert_array_equal(saved.codes.words, loaded.codes.words)
        np.testing.assert_array_equal(saved.codes.norms, loaded.codes.norms)
        np.testing.assert_array_equal(saved.codes.center, loaded.codes.center)


def test_codes_follow_updates_deletions_and_merges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hybrid, "CANDIDATES_PER_RESULT", 2)
    monkeypatch.setattr(update_module, "MAX_SEGMENTS", 2)
    rng = random.Random(8)
    corpus = _corpus(tmp_path, 30, seed=8)
    config = _config(corpus, tmp_path / "data")
    commit = build(config, scan(corpus))
    for n in range(30, 36):
        (corpus / f"a{n - 25}.md").unlink()  # a deletion and a new article each step
        (corpus / f"a{n}.md").write_text(_article(rng, n))
        commit = _step(config, commit)
        _assert_codes_in_sync(commit)
        _assert_candidates_give_the_exact_ranking(view(config, commit), k=5)
    assert any(d for _, _, d in commit.segments)  # deletions are masked, not yet merged
    merged = merge(config, commit)
    assert merged is not None and len(merged.segments) < len(commit.segments)
    _assert_codes_in_sync(merged)
    _assert_candidates_give_the_exact_ranking(view(config, merged), k=5)
    reopened = open_index(config)
    _assert_candidates_give_the_exact_ranking(view(config, reopened.commit), k=5)


def test_the_candidate_fit_reruns_on_a_small_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recall = load_bench_script("dense_recall")
    corpus = _corpus(tmp_path, 60, seed=11)
    config = replace(_config(corpus, tmp_path / "data"), directory=None)
    index = view(config, build(config, scan(corpus)))
    approx, exact = Retriever(index, STATIC, 0.35), Retriever(index, STATIC, 0.35, exact=True)
    results: dict[int, dict[str, list[float]]] = {}
    for value in (1, 2, hybrid.CANDIDATES_PER_RESULT):
        monkeypatch.setattr(hybrid, "CANDIDATES_PER_RESULT", value)
        results[value] = {"sample": recall.overlaps(approx, exact, MORE_QUERIES)}
    assert min(results[1]["sample"]) < 1.0  # one candidate a passage misses some
    chosen = recall.choose(results)
    assert chosen is not None and chosen <= hybrid.CANDIDATES_PER_RESULT


@pytest.mark.parametrize("size,count", [(10, 3), (1000, 1), (5000, 100), (140_000, 500)])
def test_best_keeps_the_highest_scores(size: int, count: int) -> None:
    rng = np.random.default_rng(size)
    for scores in (rng.random(size), rng.integers(0, 50, size).astype(np.float64)):  # ties too
        chosen = best(scores, count)
        assert len(chosen) == len(set(chosen.tolist())) == count
        np.testing.assert_array_equal(np.sort(scores[chosen]), np.sort(scores)[-count:])
