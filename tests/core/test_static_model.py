"""The cached static model gives fastembed's vectors, for every kind of text."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from bot.embed import static
from bot.embed.models import BUNDLED_DIR
from bot.embed.static import MAX_TOKENS, StaticModel, StaticModelError, read_safetensors
from tests.conftest import SEEDS

FOLDER = BUNDLED_DIR / "static"


def _fastembed(folder: Path, texts: list[str]) -> npt.NDArray[np.float32]:
    from fastembed import TextEmbedding

    model = TextEmbedding(
        "minishlab/potion-base-8M", specific_model_path=str(folder), local_files_only=True
    )
    return np.asarray(list(model.embed(texts)), dtype=np.float32)


def _texts() -> list[str]:
    rng = random.Random(5)
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    paragraphs = [p for text in seeds for p in text.split("\n\n") if p.strip()]
    # Characters where Python's and BERT's ideas of whitespace, punctuation and
    # control characters differ, accents, CJK, zero-width and replacement characters.
    alphabet = "ab Z9  \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000中é.,-()\u200b\ufeff\x00\ufffd"
    noise = ["".join(rng.choices(alphabet, k=rng.randint(0, 80))) for _ in range(300)]
    long = ["word " * (MAX_TOKENS + 100), "GLM-5 " * 400, "x" * 300, "", "  \n "]
    return paragraphs + noise + long


def _close(ours: npt.NDArray[np.float32], theirs: npt.NDArray[np.float32]) -> None:
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, atol=2e-6)


def test_vectors_match_fastembeds_static_model() -> None:
    texts = _texts()
    model = StaticModel(FOLDER)
    _close(model.embed(texts), _fastembed(FOLDER, texts))
    # Again from a warm cache, one text at a time (the question path), and in a new order.
    singles = np.concatenate([model.embed([t]) for t in texts[::7]])
    _close(singles, _fastembed(FOLDER, texts[::7]))
    _close(model.embed(texts[::-1]), _fastembed(FOLDER, texts[::-1]))


def test_a_full_cache_starts_again_without_changing_vectors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = _texts()[:120]
    expected = StaticModel(FOLDER).embed(texts)
    monkeypatch.setattr(static, "CACHE_LIMIT", 50)
    model = StaticModel(FOLDER)
    for start in range(0, len(texts), 4):
        batch = texts[start : start + 4]
        _close(model.embed(batch), expected[start : start + 4])
        # Bounded by the limit, or by one batch's chunks when a batch alone is more.
        chunks = {
            c for t in batch for c in static._NOT_BERT_SPACE.sub("", static._folded(t)).split()
        }
        assert len(model._chunks) <= max(50, len(chunks))


def test_texts_with_no_known_piece_are_zero_vectors() -> None:
    vectors = StaticModel(FOLDER).embed(["", "   ", "\x00\u200b"])
    assert vectors.shape == (3, 256) and not vectors.any()
    assert StaticModel(FOLDER).embed([]).shape == (0, 256)


def _write_safetensors(path: Path, tensors: dict[str, npt.NDArray[np.generic]]) -> None:
    names = {np.dtype(np.float32): "F32", np.dtype(np.float16): "F16", np.dtype(np.int64): "I64"}
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        blob = np.ascontiguousarray(array).tobytes()
        header[name] = {
            "dtype": names[array.dtype],
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(blob)],
        }
        blobs.append(blob)
        offset += len(blob)
    encoded = json.dumps(header).encode()
    path.write_bytes(len(encoded).to_bytes(8, "little") + encoded + b"".join(blobs))


def test_vocabulary_quantised_models_share_and_weigh_rows(tmp_path: Path) -> None:
    """model2vec's quantised tables map pieces to shared rows and weigh each piece."""
    table = np.asarray(read_safetensors(FOLDER / "model.safetensors")["embeddings"])
    rng = np.random.default_rng(3)
    folder = tmp_path / "quantised"
    shutil.copytree(FOLDER, folder)
    _write_safetensors(
        folder / "model.safetensors",
        {
            "embeddings": table[:500].astype(np.float16),
            "mapping": (np.arange(len(table)) % 500).astype(np.int64),
            "weights": rng.uniform(0.2, 2.0, len(table)).astype(np.float32),
        },
    )
    texts = _texts()[:80]
    _close(StaticModel(folder).embed(texts), _fastembed(folder, texts))


def test_a_file_that_is_not_safetensors_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "model.safetensors"
    bad.write_bytes(b"\xff" * 64)
    with pytest.raises(StaticModelError, match="not a safetensors file"):
        read_safetensors(bad)


@pytest.mark.parametrize("dense_up_to", [0, 10**9])
def test_dense_and_sparse_pooling_give_the_same_vectors(
    monkeypatch: pytest.MonkeyPatch, dense_up_to: int
) -> None:
    texts = _texts()
    monkeypatch.setattr(static, "DENSE_POOLING_PIECES", dense_up_to)
    _close(StaticModel(FOLDER).embed(texts), _fastembed(FOLDER, texts))
