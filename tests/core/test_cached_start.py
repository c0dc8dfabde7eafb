"""A cached start of an unchanged corpus reads no corpus file, lists no directory
and stats only directories."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.bootstrap import build_bot
from tests.conftest import SEEDS, settings_for

_TOUCHED: list[str] = []
_WATCHING: list[str] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    """Notes every file opened and every directory listed under the watched corpus
    (listing a directory is how a full scan would stat its files: ``DirEntry.stat``
    is out of a spy's reach). An audit hook stays for the whole interpreter, so it
    only records while a test asks it to."""
    if not _WATCHING or event not in ("open", "os.scandir", "os.listdir") or not args:
        return
    if isinstance(args[0], str | bytes | os.PathLike):
        path = os.fsdecode(args[0])
        if path.startswith(_WATCHING[0]):
            _TOUCHED.append(f"{event} {path}")


sys.addaudithook(_audit)


def _spy(real: Callable[..., Any], name: str) -> Callable[..., Any]:
    def spy(path: Any, *args: Any, **kwargs: Any) -> Any:
        result = real(path, *args, **kwargs)
        if _WATCHING and isinstance(path, str | bytes | os.PathLike):
            text = os.fsdecode(path)
            if text.startswith(_WATCHING[0]) and not stat.S_ISDIR(result.st_mode):
                _TOUCHED.append(f"{name} {text}")
        return result

    return spy


def test_cached_start_reads_and_stats_no_corpus_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus / "seeds")
    for n in range(40):
        folder = corpus / f"d{n % 4}"
        folder.mkdir(exist_ok=True)
        (folder / f"a{n}.md").write_text(f"Model {n} ships\n\nLab {n} shipped model {n} today.\n")
    hour_ago = os.path.getmtime(corpus) - 3600
    for folder in [corpus, *(p for p in corpus.rglob("*") if p.is_dir())]:
        # Not written just now: a directory changed within the mtime resolution of
        # the scan that listed it is listed again (see bot.corpus.listing.RACY_NS).
        os.utime(folder, (hour_ago, hour_ago))
    settings = settings_for(corpus, tmp_path / "data")
    build_bot(settings)  # builds and caches the index
    monkeypatch.setattr(os, "stat", _spy(os.stat, "stat"))
    monkeypatch.setattr(os, "lstat", _spy(os.lstat, "lstat"))
    _TOUCHED.clear()
    _WATCHING[:] = [str(corpus.resolve())]
    try:
        bot = build_bot(settings)
        answer = bot.ask("What did lab 7 ship?")
    finally:
        _WATCHING.clear()
    assert _TOUCHED == []
    assert answer.citations and answer.citations[0].article.article_id == "a7"
