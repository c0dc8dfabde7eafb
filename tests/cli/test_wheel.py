"""The wheel works on its own: `pip install .` then `teambot` from any directory.

Builds the wheel from a copy of the working tree, installs it into a new virtual
environment that borrows the dependencies of the one running the tests (so no
network is needed), and runs the installed ``teambot`` from an empty directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import SEEDS

# About 15 s on the project's machine; part of `make test` (deselect locally with
# `-m "not packaging"`).
pytestmark = pytest.mark.packaging

ROOT = SEEDS.parent
#: What the build never needs: version control, environments, caches, earlier builds.
NOT_SOURCE = shutil.ignore_patterns(
    *(".git", ".venv*", ".teambot", ".hypothesis", ".*_cache", "__pycache__"),
    *("build", "dist", "*.egg-info"),
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of the working tree, built without network or build isolation."""
    source = tmp_path_factory.mktemp("source") / "teambot"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    dist = source.parent / "dist"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
        + ["--no-index", "--quiet", "--wheel-dir", str(dist), str(source)],
        cwd=source.parent,
    )
    (built,) = dist.glob("teambot-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the wheel installed; returns its ``bin`` folder."""
    venv = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=venv)
    python = venv / "bin" / "python"
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    # Borrow this environment's packages (numpy, fastembed, …), not its teambot: the
    # editable install's import hook lives in a .pth file, which a path listed in
    # another .pth file never runs.
    borrowed = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    Path(site.strip(), "borrowed.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps"]
        + ["--no-index", "--quiet", str(wheel)]
    )
    return venv / "bin"


def _run(argv: list[str], cwd: Path | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEAMBOT_", "PYTHON"))}
    done = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"{argv[:4]} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return done.stdout


def test_wheel_ships_the_seeds_models_and_weights(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    seeds = {f"bot/seeds/{p.name}" for p in SEEDS.iterdir() if p.suffix in (".txt", ".md")}
    assert seeds and seeds <= names
    assert not any(n.startswith("seeds/") for n in names)  # no top-level 'seeds' package
    for folder in ("static", "rerank"):
        bundled = ROOT / "bot" / "embed" / "data" / folder
        assert {f"bot/embed/data/{folder}/{p.name}" for p in bundled.iterdir()} <= names
    assert {"bot/answer/weights.json", "bot/digest/weights.json"} <= names
    assert "adapters/slack/manifest.yml" in names


def test_installed_teambot_answers_from_another_directory(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run([str(installed / "python"), "-c", "import bot; print(bot.__file__)"], elsewhere)
    assert Path(where.strip()).is_relative_to(installed.parent)  # the wheel, not this checkout
    out = _run(
        [str(installed / "teambot"), "ask", "How many parameters does RynnBrain have?"], elsewhere
    )
    assert "30-billion-parameter" in out
    assert "RynnBrain" in out
    assert (elsewhere / ".teambot" / "index").is_dir()  # the cache goes to the working dir


def test_installed_teambot_builds_a_digest(installed: Path, tmp_path: Path) -> None:
    argv = ["digest", "--since", "2026-01-01", "--until", "2026-12-31", "--json"]
    digest = json.loads(_run([str(installed / "teambot"), *argv], tmp_path))
    headlines = " ".join(story["headline"] for story in digest["stories"])
    assert "AI models from China" in headlines  # grouped with the weights the wheel carries
