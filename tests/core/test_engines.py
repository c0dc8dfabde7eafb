"""bm25s ranks exactly as the rank-bm25 reference on the same tokens."""
# Both engines score with BM25+; see bot.search.engines.

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from bot.corpus.loader import load_corpus
from bot.errors import ConfigError
from bot.search.engines import Bm25sEngine, RankBm25Engine, engine_class
from bot.search.passages import article_passages
from bot.text.tokenize import Tokenizer
from tests.conftest import SEEDS


def _seed_corpus() -> list[list[str]]:
    tok = Tokenizer()
    return [
        tok(article.title) + tok(text)
        for article in load_corpus(SEEDS).articles
        for _, text in article_passages(article)
    ]


def _random_corpus(rng: random.Random) -> list[list[str]]:
    vocab = [f"w{i}" for i in range(60)]
    weights = [1 / (i + 1) for i in range(60)]  # Zipf-like: some terms in most documents
    return [rng.choices(vocab, weights, k=rng.randint(1, 40)) for _ in range(300)]


def _assert_same_ranking(corpus: list[list[str]], queries: list[list[str]]) -> None:
    fast, reference = Bm25sEngine.build(corpus), RankBm25Engine.build(corpus)
    for query in queries:
        got = fast.scores(query).astype(np.float64)
        want = reference.scores(query)
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
        top = np.argsort(-want, kind="stable")[:10]
        gaps = np.diff(want[top])
        if np.all(np.abs(gaps) > 1e-3):  # no near-ties: the orders must be identical
            assert list(np.argsort(-got, kind="stable")[:10]) == list(top)


def test_engines_rank_the_seeds_identically() -> None:
    corpus = _seed_corpus()
    tok = Tokenizer()
    queries = [
        tok(q) for q in ("rynnbrain parameters", "kling 3.0 15s", "bytedance seedance china ai")
    ]
    _assert_same_ranking(corpus, queries)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_engines_rank_random_corpora_identically(seed: int) -> None:
    rng = random.Random(seed)
    corpus = _random_corpus(rng)
    queries = [rng.sample([f"w{i}" for i in range(70)], 3) for _ in range(20)]
    _assert_same_ranking(corpus, queries)


@pytest.mark.parametrize("name", ["bm25s", "rank-bm25"])
def test_engine_survives_a_save_and_load(tmp_path: Path, name: str) -> None:
    corpus = _random_corpus(random.Random(7))
    cls = engine_class(name)
    engine = cls.build(corpus)
    engine.save(tmp_path)
    loaded = cls.load(tmp_path)
    for query in (["w1", "w5"], ["w30"], ["absent"]):
        np.testing.assert_allclose(loaded.scores(query), engine.scores(query))


def test_one_article_corpus_still_ranks() -> None:
    corpus = [["kling", "clip", "15s"]]
    for name in ("bm25s", "rank-bm25"):
        engine = engine_class(name).build(corpus)
        assert engine.scores(["kling"])[0] > 0
        assert engine.scores(["absent"])[0] == 0


def test_passages_without_query_terms_score_zero() -> None:
    corpus = _random_corpus(random.Random(5))
    query = ["w1", "w40"]
    holders = np.array([bool(set(query) & set(doc)) for doc in corpus])
    for name in ("bm25s", "rank-bm25"):
        scores = engine_class(name).build(corpus).scores(query)
        assert np.all(scores[~holders] == 0) and np.all(scores[holders] > 0)


def test_unknown_engine_names_the_valid_ones() -> None:
    with pytest.raises(ConfigError, match="choose one of: bm25s, rank-bm25"):
        engine_class("lucene")
