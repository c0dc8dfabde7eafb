"""A static (model2vec) embedding model run with numpy and a word cache.

A static model's vector for a text is the normalised sum of its word pieces'
rows in a table (unknown pieces left out), the text cut at ``MAX_TOKENS``
pieces. fastembed computes exactly that, but tokenises every text from scratch,
and at index time tokenising is nearly all of the cost. This model splits a text
at whitespace, which BERT-style tokenizers never join across and whose
normalisation works a character at a time, so a whitespace-separated chunk
always becomes the same pieces: each distinct chunk is tokenised once and
remembered. News text repeats its words, so a corpus is tokenised a few times
faster than fastembed does it, with the same vectors (cosine 1.0 in the tests).

Only the ``tokenizers`` package is imported (not fastembed, whose import alone
costs about 0.3 s), and the table is read from ``model.safetensors`` with numpy.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

#: The pieces a text is cut to: model2vec's and fastembed's default ``max_length``
#: for these models, so the vectors match theirs on long texts too.
MAX_TOKENS = 512
#: Distinct chunks remembered before the cache starts again: at roughly 150 bytes
#: a chunk this bounds it near 100 MB, far above a news corpus's vocabulary of
#: chunks per indexing worker batch.
CACHE_LIMIT = 600_000
#: Up to this many pieces a batch is pooled with a dense count matrix (a question
#: and its candidate sentences: a few thousand pieces, a few MB), which needs no
#: scipy import (a quarter of a second of a one-shot ``ask``); above it, with a
#: sparse one, whose cost follows the pieces rather than texts x distinct pieces.
DENSE_POOLING_PIECES = 8_192

# Characters Python's str.split() treats as whitespace but BERT's normaliser
# deletes as control characters (vertical tab, form feed, the file, group, record
# and unit separators, next line): they join the pieces around them there, so
# they are deleted here too.
_NOT_BERT_SPACE = re.compile("[\x0b\x0c\x1c-\x1f\x85]")

_NUMPY_TYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64}
_NUMPY_TYPES |= {"I32": np.int32, "I16": np.int16, "I8": np.int8, "U8": np.uint8}


class StaticModelError(Exception):
    """A folder whose static model cannot be read."""


def read_safetensors(path: Path) -> dict[str, npt.NDArray[Any]]:
    """The tensors of a safetensors file, memory-mapped (format: an 8-byte
    little-endian header length, a JSON header of dtype/shape/offsets, the data)."""
    with open(path, "rb") as fh:
        size = int.from_bytes(fh.read(8), "little")
        if not 2 <= size <= 100_000_000:
            raise StaticModelError(f"{path.name} is not a safetensors file")
        header = json.loads(fh.read(size))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + size)
    tensors: dict[str, npt.NDArray[Any]] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[begin:end]
        if info["dtype"] == "BF16":  # the high half of a float32
            wide = raw.view(np.uint16).astype(np.uint32) << 16
            tensors[name] = wide.view(np.float32).reshape(info["shape"])
        elif info["dtype"] in _NUMPY_TYPES:
            tensors[name] = raw.view(_NUMPY_TYPES[info["dtype"]]).reshape(info["shape"])
        else:
            raise StaticModelError(f"{path.name}: unsupported dtype {info['dtype']}")
    return tensors


class StaticModel:
    """A model2vec folder (``model.safetensors`` and ``tokenizer.json``) as an ``Embedder``."""

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        tensors = read_safetensors(folder / "model.safetensors")
        if "embeddings" not in tensors:
            raise StaticModelError(f"no 'embeddings' tensor in {folder / 'model.safetensors'}")
        self._table = np.asarray(tensors["embeddings"], dtype=np.float32)
        # Vocabulary-quantised model2vec models share rows between pieces and weigh them.
        self._weights = tensors.get("weights")
        self._mapping = tensors.get("mapping")
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        self._unknown = _unknown_id(folder / "tokenizer.json")
        self._lock = threading.Lock()  # the cache is shared by the threads that answer
        self.rows, self.dim = (int(n) for n in self._table.shape)
        self._forget()

    def _forget(self) -> None:
        """Empties the cache: chunk -> number, and each number's pieces in one array."""
        self._chunks: dict[str, int] = {}
        self._starts = np.zeros(0, dtype=np.int64)  # where a chunk's pieces begin
        self._counts = np.zeros(0, dtype=np.int64)  # how many pieces it has
        self._pieces = np.zeros(0, dtype=np.int64)

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """The texts' vectors, L2-normalised (zero for a text with no known piece)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        chunk_lists = [_NOT_BERT_SPACE.sub("", _folded(text)).split() for text in texts]
        flat = list(itertools.chain.from_iterable(chunk_lists))
        per_text = np.fromiter(map(len, chunk_lists), dtype=np.int64, count=len(texts))
        with self._lock:
            numbers = self._numbers(flat)
            starts, counts, pieces = self._starts, self._counts, self._pieces
        ids, lengths = _gather(starts[numbers], counts[numbers], per_text, pieces)
        if self._unknown is not None and ids.size:
            known = ids != self._unknown
            if not known.all():
                owner = np.repeat(np.arange(len(texts)), lengths)
                lengths = np.bincount(owner[known], minlength=len(texts))
                ids = ids[known]
        sums = self._pool(ids, lengths)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        unit: npt.NDArray[np.float32] = (sums / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit

    def _numbers(self, flat: list[str]) -> npt.NDArray[np.int64]:
        """Each chunk's number in the cache, tokenising (in one call) those it lacks."""
        known = self._chunks
        numbers = np.fromiter(map(known.get, flat, itertools.repeat(-1)), np.int64, len(flat))
        missing = np.flatnonzero(numbers < 0)
        if not len(missing):
            return numbers
        new = list(dict.fromkeys(flat[i] for i in missing))
        if len(known) + len(new) > CACHE_LIMIT:
            self._forget()
            known, new = self._chunks, list(dict.fromkeys(flat))
        encoded = self._tokenizer.encode_batch_fast(new, add_special_tokens=False)
        piece_lists = [e.ids for e in encoded]
        counts = np.fromiter(map(len, piece_lists), np.int64, len(new))
        base = len(self._pieces)
        self._starts = np.concatenate([self._starts, base + np.cumsum(counts) - counts])
        self._counts = np.concatenate([self._counts, counts])
        added = np.fromiter(itertools.chain.from_iterable(piece_lists), np.int64, counts.sum())
        self._pieces = np.concatenate([self._pieces, added])
        known.update(zip(new, range(len(known), len(known) + len(new)), strict=True))
        if len(known) == len(new):  # the cache started again: every number changed
            return np.fromiter(map(known.__getitem__, flat), np.int64, len(flat))
        numbers[missing] = [known[flat[i]] for i in missing]
        return numbers

    def _pool(self, ids: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]) -> Any:
        """Each text's sum of its pieces' rows: a (texts x pieces) count matrix times
        the table, dense for a question's few texts, sparse (scipy, imported only for
        indexing-sized batches) for more than ``DENSE_POOLING_PIECES`` pieces."""
        rows = ids if self._mapping is None else self._mapping[ids]
        weights = np.ones(len(ids), np.float32) if self._weights is None else self._weights[ids]
        if len(ids) <= DENSE_POOLING_PIECES:
            owner = np.repeat(np.arange(len(lengths)), lengths)
            distinct, column = np.unique(rows, return_inverse=True)
            counts = np.zeros((len(lengths), len(distinct)), dtype=np.float32)
            np.add.at(counts, (owner, column), weights)
            return counts @ self._table[distinct]
        from scipy.sparse import csr_array

        bounds = np.concatenate([[0], np.cumsum(lengths)])
        matrix = csr_array((weights.astype(np.float32), rows, bounds), (len(lengths), self.rows))
        return matrix @ self._table


def _folded(text: str) -> str:
    """An ASCII text in lower case, as the tokenizer's normaliser would make it, so
    "Kling", "kling" and "KLING" share one cache entry; other texts as they are (the
    normaliser's Unicode case folding and accent stripping are left to it)."""
    return text.lower() if text.isascii() else text


def _gather(
    starts: npt.NDArray[np.int64],
    counts: npt.NDArray[np.int64],
    per_text: npt.NDArray[np.int64],
    pieces: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The piece ids of a batch's chunks in order (chunk ``i``'s are ``pieces[starts[i]:
    starts[i] + counts[i]]``; text ``t`` has ``per_text[t]`` chunks), each text cut at
    ``MAX_TOKENS`` pieces, with each text's number of pieces."""
    total = int(counts.sum())
    into = np.cumsum(counts) - counts  # where each chunk's pieces go in the output
    ids = pieces[np.repeat(starts - into, counts) + np.arange(total)]
    edges = np.concatenate([[0], np.cumsum(counts)])[np.concatenate([[0], np.cumsum(per_text)])]
    first, lengths = edges[:-1], np.diff(edges)
    if (lengths > MAX_TOKENS).any():
        position = np.arange(total) - np.repeat(first, lengths)
        ids = ids[position < MAX_TOKENS]
        lengths = np.minimum(lengths, MAX_TOKENS)
    return ids, lengths


def _unknown_id(tokenizer_file: Path) -> int | None:
    """The id of the tokenizer's unknown piece, which carries no meaning in a static model."""
    model = json.loads(tokenizer_file.read_text(encoding="utf-8"))["model"]
    if model.get("type") == "Unigram":
        unk = model.get("unk_id")
        return int(unk) if unk is not None else None
    token = model.get("unk_token")
    vocab = model.get("vocab")
    if isinstance(vocab, dict) and token in vocab:
        return int(vocab[token])
    return None
