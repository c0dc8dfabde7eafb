"""The index's BM25+ equals bm25s's, and ranks as the rank-bm25 reference does."""
# See bot.search.engines and bot.search.scoring.

from __future__ import annotations

import random

import bm25s
import numpy as np
import pytest
import tqdm

from bot.corpus.loader import load_corpus
from bot.errors import ConfigError
from bot.models import Article, Section
from bot.search.chunks import passage_terms
from bot.search.engines import DELTA, K1, METHOD, B, check_engine
from bot.search.index import SearchIndex, build_index
from bot.search.passages import article_passages
from bot.text.tokenize import Tokenizer
from tests.conftest import SEEDS


def _articles(corpus: list[list[str]]) -> list[Article]:
    """One article a document, its text the tokens (``w12``-like tokens tokenize to themselves)."""
    return [
        Article(id=f"d{i}", title="", sections=(Section(None, (" ".join(doc),)),))
        for i, doc in enumerate(corpus)
    ]


def _random_corpus(rng: random.Random) -> list[list[str]]:
    vocab = [f"w{i}" for i in range(60)]
    weights = [1 / (i + 1) for i in range(60)]  # Zipf-like: some terms in most documents
    return [rng.choices(vocab, weights, k=rng.randint(1, 40)) for _ in range(300)]


def _bm25s_scores(corpus: list[list[str]], query: list[str]) -> np.ndarray:
    # bm25s makes tqdm bars even when hidden; tqdm's monitor thread would then outlive
    # this test (tests/core/test_progress.py checks that none runs).
    tqdm.tqdm.monitor_interval = 0
    model = bm25s.BM25(method=METHOD, k1=K1, b=B, delta=DELTA)
    model.index(corpus, show_progress=False, create_empty_token=False)
    vocab = model.vocab_dict
    known = [t for t in dict.fromkeys(query) if t in vocab]
    if not known:
        return np.zeros(len(corpus))
    scores = np.asarray(model.get_scores([vocab[t] for t in known]), dtype=np.float64)
    # bm25s adds BM25+'s delta * idf for every term to every document; teambot
    # leaves that shift out (the same for every passage: see bot.search.engines).
    n = len(corpus)
    shift = sum(DELTA * np.log((n + 1) / sum(t in doc for doc in corpus)) for t in known)
    return np.maximum(scores - shift, 0.0)


def _assert_matches_references(index: SearchIndex, corpus: list[list[str]], queries) -> None:  # type: ignore[no-untyped-def]
    reference = build_index(_articles(corpus), "rank-bm25", Tokenizer())
    for query in queries:
        got = index.scores(query)
        np.testing.assert_allclose(got, _bm25s_scores(corpus, query), rtol=1e-5, atol=1e-6)
        want = reference.scores(query)
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
        top = np.argsort(-want, kind="stable")[:10]
        if np.all(np.abs(np.diff(want[top])) > 1e-3):  # no near-ties: identical orders
            assert list(np.argsort(-got, kind="stable")[:10]) == list(top)


def test_engine_scores_equal_bm25s_on_the_seeds() -> None:
    tok = Tokenizer()
    articles = load_corpus(SEEDS).articles
    corpus = [
        passage_terms(tok, tok(a.title), heading, text)
        for a in articles
        for heading, text in article_passages(a)
    ]
    index = build_index(articles, "bm25", tok)
    for q in ("rynnbrain parameters", "kling 3.0 15s", "bytedance seedance china ai"):
        query = tok(q)
        np.testing.assert_allclose(
            index.scores(query), _bm25s_scores(corpus, query), rtol=1e-5, atol=1e-5
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_engine_matches_bm25s_and_rank_bm25_on_random_corpora(seed: int) -> None:
    rng = random.Random(seed)
    corpus = _random_corpus(rng)
    queries = [rng.sample([f"w{i}" for i in range(70)], 3) for _ in range(20)]
    _assert_matches_references(build_index(_articles(corpus), "bm25", Tokenizer()), corpus, queries)


def test_one_article_corpus_still_ranks() -> None:
    for name in ("bm25", "rank-bm25"):
        index = build_index(_articles([["kling", "clip", "15s"]]), name, Tokenizer())
        assert index.scores(["kling"])[0] > 0
        assert index.scores(["absent"])[0] == 0


def test_passages_without_query_terms_score_zero() -> None:
    corpus = _random_corpus(random.Random(5))
    query = ["w1", "w40"]
    holders = np.array([bool(set(query) & set(doc)) for doc in corpus])
    for name in ("bm25", "rank-bm25"):
        scores = build_index(_articles(corpus), name, Tokenizer()).scores(query)
        assert np.all(scores[~holders] == 0) and np.all(scores[holders] > 0)


def test_unknown_engine_names_the_valid_ones() -> None:
    with pytest.raises(ConfigError, match="choose one of: bm25, rank-bm25"):
        check_engine("lucene")


def test_old_engine_name_still_means_the_default() -> None:
    assert check_engine("bm25s") == "bm25"
