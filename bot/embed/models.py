"""Sentence-embedding models, run with ONNX Runtime and numpy, never torch.

Two roles:
- *static*: a model2vec token-vector table, cheap enough to embed every passage
  of a large corpus at index time (dense retrieval);
- *rerank*: a transformer sentence-embedding model, run at question time on the
  few dozen candidate sentences.

A model is named by a spec: ``bundled`` (the copy shipped in ``bot/embed/data``),
a local directory, a fastembed model name (downloaded on first use), or ``off``.
A local model2vec folder runs in ``bot.embed.static`` (fastembed's computation,
with tokenising cached); ONNX models and downloads go through fastembed, which
is imported only when such a model is loaded, so ``teambot search`` and a
BM25-only bot never pay for it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

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
    from fastembed import TextEmbedding

    onnx = _onnx_file(path)
    if onnx is None:
        raise ModelLoadError(f"{path} holds neither model.safetensors nor model.onnx")
    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    dim = int(config["hidden_size"])
    name = f"teambot-local/{hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]}"
    _register(name, onnx.relative_to(path).as_posix(), dim)
    model = TextEmbedding(name, specific_model_path=str(path), local_files_only=True)
    return FastEmbedder(model, dim)


def _onnx_file(path: Path) -> Path | None:
    for name in ("model.onnx", "onnx/model.onnx"):
        if (path / name).is_file():
            return path / name
    return None


def _register(name: str, model_file: str, dim: int) -> None:
    """Tells fastembed about a local mean-pooled ONNX model (once per process)."""
    from fastembed import TextEmbedding
    from fastembed.common.model_description import ModelSource, PoolingType

    if any(m["model"] == name for m in TextEmbedding.list_supported_models()):
        return
    TextEmbedding.add_custom_model(
        model=name,
        pooling=PoolingType.MEAN,
        normalization=True,
        sources=ModelSource(hf=name),
        dim=dim,
        model_file=model_file,
    )


def _probe_dim(model: Any) -> int:
    return int(np.asarray(next(iter(model.embed(["probe"])))).shape[-1])
