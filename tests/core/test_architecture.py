"""The core knows no platform: nothing under bot/ imports an adapter or a chat SDK."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import bot

FORBIDDEN = ("adapters", "slack_bolt", "slack_sdk", "discord")
CORE = Path(bot.__file__).parent


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_core_never_imports_adapters_or_platform_sdks() -> None:
    violations = [
        f"{path.relative_to(CORE.parent)}: {name}"
        for path in sorted(CORE.rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN
    ]
    assert violations == []


def test_architecture_check_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from adapters.console import format\nimport slack_bolt.app\n")
    assert [n.split(".")[0] for n in _imports(bad)] == ["adapters", "slack_bolt"]


def test_importing_the_core_loads_no_chat_sdk() -> None:
    code = (
        "import sys, bot.bootstrap, bot.cli, bot.service;"
        "bad=[m for m in sys.modules"
        " if m.split('.')[0] in ('slack_bolt','slack_sdk','discord','adapters')];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_importing_the_core_leaves_scipy_to_the_digest() -> None:
    """A one-shot ``teambot ask`` starts without scipy (a quarter of a second);
    only building a digest imports it."""
    code = (
        "import sys, bot.bootstrap, bot.cli, bot.service;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
