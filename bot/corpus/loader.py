"""Loads a corpus: a file or a directory tree of .txt, .md and .jsonl articles.

A bad file never stops the load: it is skipped (or read as well as it can be)
with one warning naming it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.parse import parse_article
from bot.errors import CorpusError
from bot.models import Article, CorpusWarning

ARTICLE_SUFFIXES = (".txt", ".md", ".jsonl")
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class LoadedCorpus:
    """The articles that loaded, and a warning for each file that did not load cleanly."""

    articles: tuple[Article, ...]
    warnings: tuple[CorpusWarning, ...]


def corpus_files(root: Path) -> list[Path]:
    """Lists the article files under ``root`` (or ``root`` itself), sorted, hidden ones skipped.

    Raises:
        CorpusError: ``root`` does not exist.
    """
    if not root.exists() and not root.is_symlink():
        raise CorpusError(f"corpus not found: {root}")
    if not root.is_dir():
        return [root]
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(
            Path(dirpath, name)
            for name in sorted(filenames)
            if name.lower().endswith(ARTICLE_SUFFIXES) and not name.startswith(".")
        )
    return found


def load_corpus(root: Path, files: list[Path] | None = None) -> LoadedCorpus:
    """Loads every article under ``root`` (or just ``files``, when given).

    Raises:
        CorpusError: ``root`` is missing.
    """
    warnings: list[CorpusWarning] = []
    articles: dict[str, Article] = {}
    for path in corpus_files(root) if files is None else files:
        for article in _load_file(path, warnings):
            other = articles.get(article.id)
            if other is not None:
                message = f"duplicate article id {article.id!r} (also in {other.path}); skipped"
                warnings.append(CorpusWarning(str(path), message))
                continue
            articles[article.id] = article
    return LoadedCorpus(tuple(articles.values()), tuple(warnings))


def _load_file(path: Path, warnings: list[CorpusWarning]) -> Iterator[Article]:
    def warn(message: str) -> None:
        warnings.append(CorpusWarning(str(path), message))

    text = _read_text(path, warn)
    if text is None:
        return
    if path.suffix.lower() == ".jsonl":
        yield from _jsonl_articles(path, text, warnings)
        return
    meta, body = _split_front_matter(text, warn)
    article = parse_article(path.stem, body, meta, path=str(path), warn=warn)
    if article is None:
        warn("no article text after cleaning; skipped")
        return
    yield article


def _read_text(path: Path, warn: Callable[[str], None]) -> str | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            warn(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; skipped")
            return None
        data = path.read_bytes()
    except OSError as exc:
        warn(f"cannot be read ({exc.strerror or exc.__class__.__name__}); skipped")
        return None
    if b"\x00" in data[:8192]:
        warn("binary content, not text; skipped")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        warn(f"not valid UTF-8 (byte {exc.start}); loaded with replacement characters")
        text = data.decode("utf-8-sig", errors="replace")
    if not text.strip():
        warn("empty file; skipped")
        return None
    return text


def _split_front_matter(text: str, warn: Callable[[str], None]) -> tuple[dict[str, object], str]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text
    end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None)
    if end is None:
        warn("front matter is not closed by '---'; read as plain text")
        return {}, "\n".join(lines[1:])
    body = "\n".join(lines[end + 1 :])
    import yaml  # only files with front matter pay for the import

    try:
        meta = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        warn(f"broken front matter{where}; metadata ignored, text loaded")
        return {}, body
    if meta is None:
        return {}, body
    if not isinstance(meta, dict):
        warn("front matter is not a mapping of fields; metadata ignored, text loaded")
        return {}, body
    return {str(k).lower(): v for k, v in meta.items()}, body


def _jsonl_articles(path: Path, text: str, warnings: list[CorpusWarning]) -> Iterator[Article]:
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            warnings.append(CorpusWarning(where, f"invalid JSON ({exc.msg}); line skipped"))
            continue
        if not isinstance(obj, dict):
            warnings.append(CorpusWarning(where, "not a JSON object; line skipped"))
            continue
        body = obj.get("text")
        if not isinstance(body, str) or not body.strip():
            warnings.append(CorpusWarning(where, "no 'text' field; line skipped"))
            continue
        raw_id = obj.get("id", obj.get("_id"))
        if raw_id is None or not str(raw_id).strip():
            raw_id = f"{path.stem}-{lineno}"
            warnings.append(CorpusWarning(where, f"no 'id' or '_id'; using {raw_id!r}"))
        meta = {str(k).lower(): v for k, v in obj.items() if k != "text"}
        article = parse_article(str(raw_id).strip(), body, meta, path=where)
        if article is None:
            warnings.append(CorpusWarning(where, "no article text after cleaning; skipped"))
            continue
        yield article
