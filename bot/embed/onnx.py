"""A transformer sentence-embedding model in ONNX, run with ONNX Runtime.

The model's last hidden states are mean-pooled over the real tokens and
L2-normalised: what fastembed does for a mean-pooled custom model, and what
sentence-transformers does for all-MiniLM-L6-v2. Running the session here
instead of through fastembed skips fastembed's import (about 0.3 s of a one-shot
``teambot ask``, most of it its image models), with the same vectors (tested).

The tokenizer is set up from the folder's files as transformers reads them:
truncation at the tokenizer's context length, the special tokens of
``special_tokens_map.json``, padding to the longest text of a batch.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

#: Texts run through the network at once: fastembed's default batch size, which
#: keeps a batch's padded (texts x tokens x dims) activations to a few MB for
#: sentences.
BATCH = 256


class OnnxModelError(Exception):
    """A folder whose ONNX model or tokenizer files cannot be used."""


class OnnxModel:
    """A mean-pooled ONNX sentence encoder (``model_file`` in ``folder``) as an ``Embedder``."""

    def __init__(self, folder: Path, model_file: Path) -> None:
        import onnxruntime as ort

        config = _json(folder / "config.json", required=False)
        self.dim = int(config.get("hidden_size", 0)) or 0
        self._tokenizer = _tokenizer(folder, config)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(
            str(model_file), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        if "input_ids" not in self._inputs:
            raise OnnxModelError(f"{model_file.name} has no input_ids input")
        if not self.dim:
            self.dim = int(self.embed(["probe"]).shape[1])

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """The texts' vectors, L2-normalised, one row each."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        batches = [self._batch(list(texts[i : i + BATCH])) for i in range(0, len(texts), BATCH)]
        return np.concatenate(batches)

    def _batch(self, texts: list[str]) -> npt.NDArray[np.float32]:
        encoded = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feed = {"input_ids": ids}
        if "attention_mask" in self._inputs:
            feed["attention_mask"] = mask
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feed)[0]
        sums = np.sum(hidden, axis=1, where=mask[:, :, None].astype(bool), dtype=np.float64)
        means = sums / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
        unit: npt.NDArray[np.float32] = (means / norms).astype(np.float32)
        return unit


def _json(path: Path, *, required: bool) -> dict[str, Any]:
    if not path.is_file():
        if required:
            raise OnnxModelError(f"{path} is missing")
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise OnnxModelError(f"{path} is not a JSON object")
    return data


def _context(settings: dict[str, Any]) -> int:
    """The tokenizer's context length: the stricter of ``model_max_length`` and
    ``max_length`` (transformers writes 1e30 for an unknown one, which is no limit)."""
    limits = [
        v
        for v in (settings.get("model_max_length"), settings.get("max_length"))
        if isinstance(v, int) and not isinstance(v, bool) and 0 < v <= sys.maxsize
    ]
    if not limits:
        raise OnnxModelError("tokenizer_config.json gives no model_max_length or max_length")
    return min(limits)


def _tokenizer(folder: Path, config: dict[str, Any]) -> Any:
    from tokenizers import AddedToken, Tokenizer

    settings = _json(folder / "tokenizer_config.json", required=True)
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    truncation = tokenizer.truncation or {}
    tokenizer.enable_truncation(
        max_length=_context(settings),
        direction=settings.get("truncation_side") or truncation.get("direction", "right"),
    )
    for token in _special_tokens(_json(folder / "special_tokens_map.json", required=False)):
        tokenizer.add_special_tokens([token if isinstance(token, str) else AddedToken(**token)])
    padding = tokenizer.padding or {}
    pad_token = padding.get("pad_token") or settings.get("pad_token")
    if pad_token is None:
        raise OnnxModelError(f"no pad token in {folder}")
    pad_id = padding.get("pad_id", config.get("pad_token_id"))
    if pad_id is None:
        pad_id = tokenizer.token_to_id(pad_token)
    if pad_id is None:
        raise OnnxModelError(f"the pad token {pad_token!r} has no id in {folder}")
    tokenizer.enable_padding(
        direction=settings.get("padding_side") or padding.get("direction", "right"),
        pad_id=pad_id,
        pad_type_id=padding.get("pad_type_id", 0),
        pad_token=pad_token,
        pad_to_multiple_of=padding.get("pad_to_multiple_of"),
        length=None,
    )
    return tokenizer


def _special_tokens(tokens: dict[str, Any]) -> list[str | dict[str, Any]]:
    """The tokens a special-tokens map declares (``additional_special_tokens`` is a list)."""
    out: list[str | dict[str, Any]] = []
    for value in tokens.values():
        out.extend(value if isinstance(value, list) else [value])
    return out
