"""Loads a script from ``bench/`` as a module, for tests that re-run a fit."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def load_bench_script(name: str) -> ModuleType:
    """``bench/<name>.py`` as a module (its own imports resolved as when run)."""
    for folder in (ROOT / "bench", ROOT):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
