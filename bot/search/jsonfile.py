"""Reading and writing the index's small JSON files, with their shape checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_json(path: Path, obj: object) -> None:
    """Writes ``obj`` compactly as UTF-8 JSON."""
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, ensure_ascii=False, separators=(",", ":"))


def read_json(path: Path, kind: type) -> Any:
    """Reads JSON that must be a ``kind`` (``dict`` or ``list``).

    Raises:
        OSError: the file cannot be read.
        ValueError: it is not JSON, or not a ``kind``.
    """
    with open(path, encoding="utf-8") as fh:
        try:
            obj = json.load(fh)
        except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError: name the file
            raise ValueError(f"{path.name} is unreadable ({exc})") from exc
    if not isinstance(obj, kind):
        raise ValueError(f"{path.name} is not a {kind.__name__}")
    return obj
