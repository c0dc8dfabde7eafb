"""Sentence-embedding models, run with ONNX Runtime and numpy, never torch.

Two roles:
- *static*: a model2vec token-vector table, cheap enough to embed every passage
  of a large corpus at index time (dense retrieval);
- *rerank*: a transformer sentence-embedding model, run at question time on the
  few dozen candidate sentences.

A model is named by a spec: ``bundled`` (the copy shipped in ``bot/embed/data``),
a local directory, a fastembed model name (downloaded on first use), or ``off``.
A local folder runs here (``bot.embed.static`` for a model2vec table,
``bot.embed.onnx`` for a mean-pooled ONNX encoder: fastembed's computations, the
same vectors); a model name is downloaded and run by fastembed, which is imported
only then.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

from bot.embed.onnx import OnnxModel
from bot.embed.static import StaticModel

log = logging.getLogger(__name__)

Role = Literal["static", "rerank"]
BUNDLED_DIR = Path(__file__).resolve().parent / "data"
OFF = "off"
BUNDLED = "bundled"
#: Sentences embedded per ONNX call: fastembed's default batch size.
BATCH = 256


class Embedder(Protocol):
    """Turns texts into unit-length vectors (one row each)."""

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """The texts' vectors, L2-normalised, one row each."""


@dataclass(frozen=True, slots=True)
class FastEmbedder:
    """A fastembed ``TextEmbedding`` behind the ``Embedder`` protocol."""

    model: Any
    dim: int

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows = list(self.model.embed(list(texts), batch_size=BATCH))
        matrix = np.asarray(rows, dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        unit: npt.NDArray[np.float32] = matrix / np.maximum(norms, 1e-12)
        return unit


class ModelLoadError(Exception):
    """A model spec that names nothing loadable."""


def load_embedder(spec: str, role: Role) -> Embedder | None:
    """Loads the model ``spec`` names for ``role``; ``None`` for ``off``.

    A model that cannot be loaded is logged once as a warning and answered with
    ``None``: teambot then works without it (BM25 alone), never crashes.
    """
    spec = spec.strip()
    if spec.lower() == OFF:
        return None
    try:
        return _load(spec, role)
    except Exception as exc:  # any failure inside fastembed/onnxruntime: degrade, never crash
        log.warning(
            "cannot load the %s model %r (%s: %s); answering with BM25 alone",
            role,
            spec,
            exc.__class__.__name__,
            exc,
        )
        return None


def _load(spec: str, role: Role) -> Embedder:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if spec.lower() == BUNDLED:
        return _load_dir(BUNDLED_DIR / role)
    path = Path(spec).expanduser()
    if path.is_dir():
        return _load_dir(path)
    if looks_like_path(spec) or path.exists() or "/" not in spec:
        raise ModelLoadError(
            "no such model folder; expected 'bundled', 'off', a model folder or a fastembed "
            "model name such as BAAI/bge-small-en-v1.5"
        )
    from fastembed import TextEmbedding

    model = TextEmbedding(model_name=spec)
    return FastEmbedder(model, _probe_dim(model))


def looks_like_path(spec: str) -> bool:
    """A spec written as a path (``/x``, ``./x``, ``~/x``, ``C:\\x``) is never a hub name."""
    return spec.startswith(("/", ".", "~", "\\")) or (len(spec) > 1 and spec[1] == ":")


def _load_dir(path: Path) -> Embedder:
    if (path / "model.safetensors").is_file() and not _onnx_file(path):
        return StaticModel(path)  # fastembed's static model, with tokenising cached
    onnx = _onnx_file(path)
    if onnx is None:
        raise ModelLoadError(f"{path} holds neither model.safetensors nor model.onnx")
    return OnnxModel(path, onnx)  # fastembed's mean-pooled model, without importing it


def _onnx_file(path: Path) -> Path | None:
    for name in ("model.onnx", "onnx/model.onnx"):
        if (path / name).is_file():
            return path / name
    return None


def _probe_dim(model: Any) -> int:
    return int(np.asarray(next(iter(model.embed(["probe"])))).shape[-1])
