"""BM25+ parameters, the engine names, and rank-bm25 as the reference scorer.

teambot scores with BM25+ (Lv & Zhai), whose idf is positive for every term, so
even a corpus of one or two articles ranks; plain BM25 clips the idf of any term
found in over half the passages to zero. The default engine, ``bm25``, scores from
the index's own segment postings (``bot.search.scoring``) exactly as bm25s's
"bm25+" does (checked by ``tests/core/test_engines.py``). ``rank-bm25`` is the
plain-Python reference, rank-bm25's ``BM25Plus``: it ranks the same, at a small
fraction of the speed.

Contract: a passage that holds none of the query terms scores exactly 0. BM25+
gives every passage ``delta * idf`` per query term whether or not it matches;
that shift is the same for every passage, so it is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from bot.errors import ConfigError
from bot.search.chunks import passage_terms

if TYPE_CHECKING:
    from bot.search.index import SearchIndex

METHOD = "bm25+"
#: Lucene's and bm25s's defaults (Robertson & Zaragoza's usual range is 1.2-2.0 and 0.75).
K1 = 1.2
B = 0.75
DELTA = 1.0  # BM25+'s lower bound for a matching term (Lv & Zhai's recommended value)

BM25 = "bm25"
RANK_BM25 = "rank-bm25"
#: The engines a user can choose (``TEAMBOT_ENGINE``).
ENGINES: tuple[str, ...] = (BM25, RANK_BM25)
#: Older names still accepted: ``bm25s`` was the default engine's name while it was
#: built with the bm25s package; the scores are the same.
ALIASES = {"bm25s": BM25}


def check_engine(name: str) -> str:
    """The engine called ``name`` (an alias gives its engine).

    Raises:
        ConfigError: no engine has that name; the message lists the valid ones.
    """
    name = ALIASES.get(name, name)
    if name not in ENGINES:
        raise ConfigError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
    return name


class RankBm25Scorer:
    """rank-bm25's ``BM25Plus`` over the index's live passages, tokenized again."""

    def __init__(self, index: SearchIndex) -> None:
        from rank_bm25 import BM25Plus

        tokenizer = index.tokenizer
        corpus: list[list[str]] = []
        title_terms: dict[int, list[str]] = {}
        for i, text in enumerate(index.passages.texts):
            a = int(index.passages.article_of[i])
            if a not in title_terms:
                title_terms.clear()
                title_terms[a] = tokenizer(index.articles[a].title)
            h = int(index.passages.heading_of[i])
            heading = index.passages.headings[h] if h >= 0 else None
            corpus.append(passage_terms(tokenizer, title_terms[a], heading, text))
        self._model = BM25Plus(corpus, k1=K1, b=B, delta=DELTA) if corpus else None

    def scores(self, terms: Sequence[str]) -> npt.NDArray[np.float64]:
        """Every live passage's score (0 where no term matches)."""
        if self._model is None:
            return np.zeros(0)
        scores = np.asarray(self._model.get_scores(list(terms)), dtype=np.float64)
        shift = DELTA * sum(self._model.idf.get(term, 0.0) for term in terms)
        result: npt.NDArray[np.float64] = np.maximum(scores - shift, 0.0)
        return result
