"""BM25 engines behind one small protocol.

Both engines score with BM25+ (Lv & Zhai), whose idf is positive for every
term, so even a corpus of one or two articles ranks; plain BM25 clips the idf of
any term found in over half the passages to zero. bm25s's "bm25+" variant is
rank-bm25's ``BM25Plus`` exactly: on the same tokens the two rank identically.
rank-bm25 is the reference; bm25s is the fast default.

Contract: a passage that holds none of the query terms scores exactly 0. BM25+
gives every passage ``delta * idf`` per query term whether or not it matches;
that shift is the same for every passage, so both engines leave it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from bot.errors import ConfigError
from bot.search.jsonfile import read_json, write_json
from bot.settings import ENGINES

METHOD = "bm25+"
K1 = 1.2
B = 0.75
DELTA = 1.0

Scores = npt.NDArray[np.float32] | npt.NDArray[np.float64]


class Engine(Protocol):
    """Scores every passage for a bag of query terms."""

    def scores(self, terms: Sequence[str]) -> Scores:
        """One score per indexed passage (0 where no term matches)."""
        ...

    def save(self, directory: Path) -> None:
        """Writes the index into ``directory`` (which exists and is empty)."""
        ...


class Bm25sEngine:
    """bm25s: BM25+ scores precomputed into a sparse term-by-passage matrix.

    bm25s builds the matrix; a query then only sums the matrix columns of its
    terms. That sum is done here with numpy (the same operation as bm25s's numpy
    backend) so that answering from a cached index never imports bm25s, which
    pulls in scipy when installed and would double the start-up time.
    """

    def __init__(
        self,
        vocab: dict[str, int],
        data: npt.NDArray[np.float32],
        indices: npt.NDArray[np.int32],
        indptr: npt.NDArray[np.int64],
        size: int,
    ) -> None:
        if len(indptr) != len(vocab) + 1 or len(data) != len(indices):
            raise ValueError("inconsistent bm25s score matrix")
        self._vocab = vocab
        self._data = data
        self._indices = indices
        self._indptr = indptr
        self._size = size

    @classmethod
    def build(cls, corpus: Sequence[Sequence[str]]) -> Bm25sEngine:
        import bm25s

        _no_progress_monitor()
        model = bm25s.BM25(method=METHOD, k1=K1, b=B, delta=DELTA)
        model.index([list(doc) for doc in corpus], show_progress=False, create_empty_token=False)
        vocab = {str(term): int(i) for term, i in model.vocab_dict.items()}
        ordered = dict(sorted(vocab.items(), key=lambda item: item[1]))
        if list(ordered.values()) != list(range(len(ordered))):
            raise ValueError("bm25s vocabulary ids are not contiguous")
        scores = model.scores
        return cls(
            ordered,
            np.asarray(scores["data"], dtype=np.float32),
            np.asarray(scores["indices"], dtype=np.int32),
            np.asarray(scores["indptr"], dtype=np.int64),
            int(scores["num_docs"]),
        )

    @classmethod
    def load(cls, directory: Path) -> Bm25sEngine:
        vocab = read_json(directory / "vocab.json", dict)
        size = int(read_json(directory / "params.json", dict)["num_docs"])
        return cls(
            vocab,
            np.load(directory / "data.npy", mmap_mode="r", allow_pickle=False),
            np.load(directory / "indices.npy", mmap_mode="r", allow_pickle=False),
            np.load(directory / "indptr.npy", mmap_mode="r", allow_pickle=False),
            size,
        )

    def scores(self, terms: Sequence[str]) -> Scores:
        result = np.zeros(self._size, dtype=np.float32)
        for term in terms:
            t = self._vocab.get(term)
            if t is None:
                continue
            start, end = int(self._indptr[t]), int(self._indptr[t + 1])
            # A column lists each passage at most once, so plain fancy-index
            # addition is exact (no need for the slower ``np.add.at``).
            result[self._indices[start:end]] += self._data[start:end]
        return result

    def save(self, directory: Path) -> None:
        write_json(directory / "vocab.json", self._vocab)
        params = {"num_docs": self._size, "method": METHOD, "k1": K1, "b": B, "delta": DELTA}
        write_json(directory / "params.json", params)
        np.save(directory / "data.npy", self._data)
        np.save(directory / "indices.npy", self._indices)
        np.save(directory / "indptr.npy", self._indptr)


class RankBm25Engine:
    """rank-bm25's ``BM25Plus``: the plain-Python reference implementation."""

    def __init__(self, corpus: list[list[str]]) -> None:
        from rank_bm25 import BM25Plus

        self._corpus = corpus
        self._model = BM25Plus(corpus, k1=K1, b=B, delta=DELTA)

    @classmethod
    def build(cls, corpus: Sequence[Sequence[str]]) -> RankBm25Engine:
        return cls([list(doc) for doc in corpus])

    @classmethod
    def load(cls, directory: Path) -> RankBm25Engine:
        return cls(read_json(directory / "corpus.json", list))

    def scores(self, terms: Sequence[str]) -> Scores:
        scores = np.asarray(self._model.get_scores(list(terms)), dtype=np.float64)
        shift = DELTA * sum(self._model.idf.get(term, 0.0) for term in terms)
        result: Scores = np.maximum(scores - shift, 0.0)
        return result

    def save(self, directory: Path) -> None:
        write_json(directory / "corpus.json", self._corpus)


_ENGINE_CLASSES: dict[str, type[Bm25sEngine] | type[RankBm25Engine]] = {
    "bm25s": Bm25sEngine,
    "rank-bm25": RankBm25Engine,
}


def engine_class(name: str) -> type[Bm25sEngine] | type[RankBm25Engine]:
    """The engine called ``name``.

    Raises:
        ConfigError: no engine has that name; the message lists the valid ones.
    """
    try:
        return _ENGINE_CLASSES[name]
    except KeyError:
        raise ConfigError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}") from None


def _no_progress_monitor() -> None:
    """Stops tqdm (bm25s's progress bars, even hidden ones) from starting its monitor
    thread: a thread of its own that could take the Ctrl-C meant for the console
    (see ``bot.signals``). ``monitor_interval = 0`` is tqdm's documented switch."""
    try:
        import tqdm
    except ImportError:  # bm25s then uses no progress bars at all
        return
    tqdm.tqdm.monitor_interval = 0
