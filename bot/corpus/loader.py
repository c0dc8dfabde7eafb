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
from typing import BinaryIO

from bot.corpus.files import NotRegularFile, capped_lines, open_regular, read_capped
from bot.corpus.parse import parse_article
from bot.errors import CorpusError
from bot.models import Article, CorpusWarning

ARTICLE_SUFFIXES = (".txt", ".md", ".jsonl")
#: The largest article read: a .txt or .md file, or one line of a .jsonl file (a
#: .jsonl file itself has no limit: it is read a line at a time). Long-form news
#: runs to ~100 KB; 16 MB takes book-length text (`bench/corpus_load.py` loads a
#: 10 MB article in about a second) while a runaway file cannot exhaust memory.
MAX_ARTICLE_BYTES = 16 * 1024 * 1024
#: How much of a file is searched for a NUL byte, the mark of a binary file.
_BINARY_SNIFF_BYTES = 8192

Warn = Callable[[str], None]


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
        for article in file_articles(path, warnings):
            other = articles.get(article.id)
            if other is not None:
                message = f"duplicate article id {article.id!r} (also in {other.path}); skipped"
                warnings.append(CorpusWarning(str(path), message))
                continue
            articles[article.id] = article
    return LoadedCorpus(tuple(articles.values()), tuple(warnings))


def file_articles(path: Path, warnings: list[CorpusWarning]) -> Iterator[Article]:
    """The articles of one file, read as they are used (a .jsonl file a line at a
    time, so a file of any size streams); its problems are added to ``warnings``.
    A bad file yields what it can and never raises."""

    def warn(message: str) -> None:
        warnings.append(CorpusWarning(str(path), message))

    try:
        yield from _load_file(path, warnings, warn)
    except NotRegularFile as exc:
        warn(f"{exc.kind}, not a regular file; skipped")
    except OSError as exc:
        warn(f"cannot be read ({exc.strerror or exc.__class__.__name__}); skipped")
    except Exception as exc:  # one bad file must never stop the whole corpus
        warn(f"cannot be loaded ({_reason(exc)}); skipped")


def _load_file(path: Path, warnings: list[CorpusWarning], warn: Warn) -> Iterator[Article]:
    with open_regular(path) as file:
        head = file.read(_BINARY_SNIFF_BYTES)
        if b"\x00" in head:
            warn("binary content, not text; skipped")
            return
        if path.suffix.lower() == ".jsonl":
            file.seek(0)
            yield from _jsonl_articles(path, file, warnings, warn)
            return
        data = _rest(file, head)
    if data is None:
        warn(f"larger than {_size(MAX_ARTICLE_BYTES)}; skipped")
        return
    text = _decode(data, warn)
    if not text.strip():
        warn("empty file; skipped")
        return
    meta: dict[str, object] = {}
    body = text
    if text.lstrip().startswith("---"):  # a cheap test first: YAML is slow to import
        from bot.corpus.frontmatter import split_front_matter  # only such files pay for YAML

        meta, body = split_front_matter(text, warn)
    article = parse_article(path.stem, body, meta, path=str(path), warn=warn)
    if article is None:
        warn("no article text after cleaning; skipped")
        return
    yield article


def _rest(file: BinaryIO, head: bytes) -> bytes | None:
    """The whole file given its first bytes ``head``, or ``None`` past the size limit.

    Most articles fit in the head, so they are read once, and never pay for the
    buffer ``read_capped`` allocates: as large as the largest article allowed.
    """
    if len(head) > MAX_ARTICLE_BYTES:
        return None
    if len(head) < _BINARY_SNIFF_BYTES:  # a short read of a regular file: its end
        return head
    rest = read_capped(file, MAX_ARTICLE_BYTES - len(head))
    return None if rest is None else head + rest


def _decode(data: bytes, warn: Warn, *, offset: int = 0) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        warn(f"not valid UTF-8 (byte {offset + exc.start}); loaded with replacement characters")
        return data.decode("utf-8-sig", errors="replace")


def _jsonl_articles(
    path: Path, file: BinaryIO, warnings: list[CorpusWarning], warn: Warn
) -> Iterator[Article]:
    """The articles of a .jsonl file, read a line at a time; a bad line costs only itself."""
    offset = 0
    bad_utf8 = False
    empty = True

    def warn_once(message: str) -> None:  # one invalid-UTF-8 warning a file, as for .txt
        nonlocal bad_utf8
        if not bad_utf8:
            warn(message)
        bad_utf8 = True

    for lineno, raw in enumerate(capped_lines(file, MAX_ARTICLE_BYTES), 1):
        where = f"{path}:{lineno}"
        if raw is None:
            message = f"line larger than {_size(MAX_ARTICLE_BYTES)}; line skipped"
            warnings.append(CorpusWarning(where, message))
            empty = False
            continue
        line = _decode(raw, warn_once, offset=offset)
        offset += len(raw) + 1
        if not line.strip():
            continue
        empty = False
        try:
            article = _jsonl_article(path, lineno, line, warnings)
        except Exception as exc:  # one bad line must never stop the rest of the file
            message = f"cannot be loaded ({_reason(exc)}); line skipped"
            warnings.append(CorpusWarning(where, message))
            continue
        if article is not None:
            yield article
    if empty:
        warn("empty file; skipped")


def _jsonl_article(
    path: Path, lineno: int, line: str, warnings: list[CorpusWarning]
) -> Article | None:
    where = f"{path}:{lineno}"

    def warn(message: str) -> None:
        warnings.append(CorpusWarning(where, message))

    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        warn(f"invalid JSON ({exc.msg}); line skipped")
        return None
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number; nesting too deep
        warn(f"invalid JSON ({_reason(exc)}); line skipped")
        return None
    if not isinstance(obj, dict):
        warn("not a JSON object; line skipped")
        return None
    body = obj.get("text")
    if not isinstance(body, str) or not body.strip():
        warn("no 'text' field; line skipped")
        return None
    raw_id = obj.get("id", obj.get("_id"))
    if raw_id is None or not str(raw_id).strip():
        raw_id = f"{path.stem}-{lineno}"
        warn(f"no 'id' or '_id'; using {raw_id!r}")
    meta = {str(k).lower(): v for k, v in obj.items() if k != "text"}
    article = parse_article(str(raw_id).strip(), body, meta, path=where, warn=warn)
    if article is None:
        warn("no article text after cleaning; skipped")
    return article


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} bytes"


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:120]}"
