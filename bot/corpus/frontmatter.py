"""YAML front matter: a few short fields, read so that no file can abuse YAML.

Imported only for files that start with a ``---`` line, so loading plain text
never pays for PyYAML.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import Node, ScalarNode

#: Front matter holds a handful of one-line fields (title, url, source, published);
#: a block this large is not metadata, and PyYAML (pure Python) would take seconds
#: over megabytes of it.
MAX_FRONT_MATTER_CHARS = 64 * 1024
#: Fields are scalars or short lists (two or three levels); PyYAML composes nodes
#: recursively, so nesting thousands deep would end in RecursionError.
MAX_FRONT_MATTER_DEPTH = 16

Warn = Callable[[str], None]


class _Refused(Exception):
    """Front matter this loader will not read; the message says why."""


class _FrontMatterLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` without aliases (a few hundred bytes of aliases to aliases
    expand to billions of nodes), with bounded nesting, and reading an impossible
    date (``2026-02-30``) as the text it is, for the caller to reject."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            raise _Refused("uses YAML aliases (*name), which teambot does not expand")
        self._depth += 1
        try:
            if self._depth > MAX_FRONT_MATTER_DEPTH:
                raise _Refused(f"is nested deeper than {MAX_FRONT_MATTER_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _timestamp_or_text(loader: _FrontMatterLoader, node: ScalarNode) -> object:
    try:
        return SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def split_front_matter(text: str, warn: Warn) -> tuple[dict[str, object], str]:
    """Splits ``---``-fenced YAML front matter from the body.

    Returns:
        The fields (names lower-cased; empty when there are none or they cannot be
        read, with a warning) and the body.
    """
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None)
    if end is None:
        warn("front matter is not closed by '---'; read as plain text")
        return {}, "\n".join(lines[1:])
    body = "\n".join(lines[end + 1 :])
    block = "\n".join(lines[1:end])
    if len(block) > MAX_FRONT_MATTER_CHARS:
        size = MAX_FRONT_MATTER_CHARS // 1024
        warn(f"front matter over {size} KB; metadata ignored, text loaded")
        return {}, body
    meta = _load_yaml(block, warn)
    if meta is None:
        return {}, body
    if not isinstance(meta, dict):
        warn("front matter is not a mapping of fields; metadata ignored, text loaded")
        return {}, body
    return {str(k).lower(): v for k, v in meta.items()}, body


def _load_yaml(block: str, warn: Warn) -> object:
    """The parsed block, or ``None`` (with a warning) when it cannot be read."""
    loader: _FrontMatterLoader | None = None
    try:
        loader = _FrontMatterLoader(block)  # reads the block: may refuse its characters
        return loader.get_single_data()
    except _Refused as exc:
        warn(f"front matter {exc}; metadata ignored, text loaded")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        warn(f"broken front matter{where}; metadata ignored, text loaded")
    except (ValueError, TypeError, RecursionError) as exc:
        # What PyYAML's constructors let through: a 5,000-digit number, say.
        reason = f"{type(exc).__name__}: {str(exc)[:80]}"
        warn(f"broken front matter ({reason}); metadata ignored, text loaded")
    finally:
        if loader is not None:
            loader.dispose()
    return None
