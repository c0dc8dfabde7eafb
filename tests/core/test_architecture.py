"""The core's import graph: no platform, no cycles, and every arrow pointing down.

The graph is read with ``ast`` from the source (imports inside functions count:
they run too), one node per module. Each module of ``bot/`` sits on a floor of
``LAYERS``; it may import its own floor and the floors below, never one above.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import bot

FORBIDDEN = ("adapters", "slack_bolt", "slack_sdk", "discord")
CORE = Path(bot.__file__).parent

#: The core's floors, lowest first: a package or module named here sits on that floor
#: with everything inside it. Decided from what each one needs: the value objects,
#: errors, logs and the clock need nothing; text, state and the models' loading need
#: only those; search reads the corpus; answers and digests search; settings check a
#: digest schedule, and help names the days a digest takes; the service answers and
#: digests; the live bot reloads a service; bootstrap wires it all.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("bot", "bot.errors", "bot.logs", "bot.signals", "bot.clock", "bot.models", "bot.progress"),
    ("bot.text", "bot.state", "bot.embed"),
    ("bot.corpus",),
    ("bot.search",),
    ("bot.answer",),
    ("bot.digest",),
    ("bot.settings", "bot.help", "bot.protocol", "bot.fake"),
    ("bot.service",),
    ("bot.live",),
    ("bot.bootstrap", "bot.__main__"),  # ``python -m bot`` finds the CLI by entry point
)


@dataclass(frozen=True, slots=True)
class Edge:
    """``source`` imports ``target``; ``typing_only`` when under ``if TYPE_CHECKING:``."""

    source: str
    target: str
    typing_only: bool = False


def _imports(path: Path) -> list[str]:
    """Every absolute module name ``path`` imports."""
    return [name for name, _ in _imported(ast.parse(path.read_text(), filename=str(path)))]


def _imported(tree: ast.AST) -> Iterator[tuple[str, bool]]:
    """``(name, typing_only)`` for each import in ``tree``; ``from a import b`` gives
    ``a.b``, which is module ``a`` when ``b`` is a name inside it."""
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only |= {id(n) for child in node.body for n in ast.walk(child)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((alias.name, id(node) in typing_only) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                yield f"{node.module}.{alias.name}", id(node) in typing_only


def _modules(root: Path) -> dict[str, Path]:
    """Module name to file, for every ``.py`` under the package at ``root``."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def import_graph(root: Path) -> list[Edge]:
    """The imports between the modules of the package at ``root``."""
    modules = _modules(root)
    edges = set()
    for source, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        for name, typing_only in _imported(tree):
            target = name
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != source:
                edges.add(Edge(source, target, typing_only))
    return sorted(edges, key=lambda e: (e.source, e.target, e.typing_only))


def floor(module: str) -> int | None:
    """The floor of ``module`` in ``LAYERS`` (the longest name that contains it)."""
    best: tuple[int, int] | None = None
    for level, names in enumerate(LAYERS):
        for name in names:
            inside = module == name or (name != "bot" and module.startswith(f"{name}."))
            if inside and (best is None or len(name) > best[0]):
                best = (len(name), level)
    return None if best is None else best[1]


def upward(edges: list[Edge]) -> list[str]:
    """The imports that reach a higher floor, or leave a module with no floor."""
    found = []
    for edge in edges:
        low, high = floor(edge.source), floor(edge.target)
        if low is None or high is None or high > low:
            found.append(f"{edge.source} ({low}) imports {edge.target} ({high})")
    return found


def cycles(edges: list[Edge]) -> list[list[str]]:
    """The groups of modules that import each other (Tarjan's strongly connected
    components of more than one module); imports only for type checking run never,
    so they close no cycle."""
    graph: dict[str, list[str]] = {}
    for edge in edges:
        if not edge.typing_only:
            graph.setdefault(edge.source, []).append(edge.target)
            graph.setdefault(edge.target, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_core_never_imports_adapters_or_platform_sdks() -> None:
    violations = [
        f"{path.relative_to(CORE.parent)}: {name}"
        for path in _modules(CORE).values()
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN
    ]
    assert violations == []


def test_architecture_check_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from adapters.console import format\nimport slack_bolt.app\n")
    assert sorted({n.split(".")[0] for n in _imports(bad)}) == ["adapters", "slack_bolt"]


def test_core_imports_form_no_cycle() -> None:
    assert cycles(import_graph(CORE)) == []


def test_core_imports_only_point_down_the_layers() -> None:
    assert upward(import_graph(CORE)) == []


def test_every_core_module_has_a_floor() -> None:
    assert [m for m in _modules(CORE) if floor(m) is None] == []


def test_layer_check_catches_a_planted_cycle_and_an_upward_import(tmp_path: Path) -> None:
    package = tmp_path / "bot"
    (package / "digest").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "digest" / "__init__.py").write_text("")
    (package / "settings.py").write_text("from bot.digest.schedule import parse\n")
    (package / "digest" / "schedule.py").write_text(
        "def parse():\n    from bot.settings import zone_info\n"  # inside a function counts
    )
    (package / "errors.py").write_text("from bot.digest import schedule\n")
    edges = import_graph(package)
    assert cycles(edges) == [["bot.digest.schedule", "bot.settings"]]
    assert upward(edges) == [
        "bot.digest.schedule (5) imports bot.settings (6)",
        "bot.errors (0) imports bot.digest.schedule (5)",
    ]


def test_type_checking_imports_close_no_cycle(tmp_path: Path) -> None:
    package = tmp_path / "bot"
    package.mkdir()
    (package / "a.py").write_text("from bot.b import B\n")
    (package / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from bot.a import A\n"
    )
    assert cycles(import_graph(package)) == []


def test_importing_the_core_loads_no_chat_sdk() -> None:
    code = (
        "import sys, bot.bootstrap, bot.service;"
        "bad=[m for m in sys.modules"
        " if m.split('.')[0] in ('slack_bolt','slack_sdk','discord','adapters')];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_command_line_loads_no_chat_sdk_until_a_chat_command_runs() -> None:
    code = (
        "import sys, adapters.cli; adapters.cli.build_parser();"
        "bad=[m for m in sys.modules if m.split('.')[0] in ('slack_bolt','slack_sdk','discord')];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_importing_the_core_leaves_scipy_to_the_digest() -> None:
    """A one-shot ``teambot ask`` starts without scipy (a quarter of a second);
    only building a digest imports it."""
    code = (
        "import sys, bot.bootstrap, adapters.cli, bot.service;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_entry_point_wires_the_bot_through_bootstrap() -> None:
    """The adapters (the CLI's commands, the chat platforms) use ``bootstrap`` alone;
    ``build_bot`` and ``build_app`` stay for tests and benchmarks."""
    adapters = CORE.parent / "adapters"
    users = [
        f"{path.relative_to(CORE.parent)}: {name}"
        for path in sorted(adapters.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.ImportFrom) and node.module == "bot.bootstrap"
        for name in (alias.name for alias in node.names)
        if name in ("build_bot", "build_app")
    ]
    assert users == []
