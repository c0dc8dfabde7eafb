"""Models loaded on first use, once per process.

Loading fastembed and an ONNX session costs a few hundred milliseconds, so a
command that never embeds (``teambot search`` on a cached BM25-only index, a
digest) never pays it, and every bot in one process shares one loaded copy.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.embed.models import BUNDLED, BUNDLED_DIR, OFF, Embedder, Role, load_embedder
from bot.signals import signals_blocked

_LOADED: dict[tuple[str, Role], Embedder | None] = {}
_LOCK = threading.Lock()


class LazyModel:
    """The model a spec names, loaded when ``get`` is first called.

    Args:
        spec: ``bundled``, ``off``, a folder, or a fastembed model name.
        role: ``static`` (dense retrieval) or ``rerank``.
    """

    def __init__(self, spec: str, role: Role) -> None:
        self.spec = spec.strip()
        self.role = role

    @property
    def enabled(self) -> bool:
        """False for ``off``."""
        return self.spec.lower() != OFF

    def get(self) -> Embedder | None:
        """The loaded model, or ``None`` when off or unloadable (warned once)."""
        if not self.enabled:
            return None
        key = (self.spec, self.role)
        with _LOCK:
            if key not in _LOADED:
                _LOADED[key] = _load_with_signals_blocked(self.spec, self.role)
            return _LOADED[key]

    def ident(self) -> str:
        """Names the model's weights without loading them (for cache keys)."""
        if not self.enabled:
            return OFF
        path = BUNDLED_DIR / self.role if self.spec.lower() == BUNDLED else Path(self.spec)
        if path.is_dir():
            parts = []
            for weights in sorted(path.glob("*.safetensors")) + sorted(path.rglob("*.onnx")):
                st = weights.stat()
                parts.append(f"{weights.name}:{st.st_size}:{st.st_mtime_ns}")
            return f"{path.resolve()}|{'|'.join(parts)}"
        return f"hub:{self.spec}"


def _load_with_signals_blocked(spec: str, role: Role) -> Embedder | None:
    with signals_blocked():
        model = load_embedder(spec, role)
    return None if model is None else _SignalSafe(model)


class _SignalSafe:
    """Embeds with SIGINT and SIGTERM blocked, as the model was loaded.

    ONNX Runtime and the tokenizer start worker threads when a model loads and
    again on first use; started under the block, they inherit it and leave the
    signals to the main thread (see ``bot.signals``).
    """

    def __init__(self, model: Embedder) -> None:
        self._model = model

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        with signals_blocked():
            return self._model.embed(texts)
