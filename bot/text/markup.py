"""Markdown and HTML markup removed in linear time.

Each function returns exactly what ``re.sub`` returned with the pattern in its
docstring, but never scans text it has already ruled out. The regular
expressions restarted their scan at every ``[``, ``*`` or ``<`` and ran to the
end of the line when nothing closed it, so ``[a [a [a ...`` (120 KB: over a
minute) and ``*a *a *a ...`` took time quadratic in the line's length.

The shared argument: an opener that fails because the first closer after it
does not fit fails for every opener up to that closer too, since they all reach
the same one; so the scan resumes after it, or stops when no closer is left.
"""

from __future__ import annotations

import re

_SCHEMES = ("http://", "https://")
_SPACE = re.compile(r"\s")
_SPACE_OR_GT = re.compile(r"[\s>]")
_WORD_OR_STAR = re.compile(r"[\w*]")
_MARKS = re.compile(r"[*_]")
# Where single emphasis can close: the mark after a non-space, before no word
# character or star (the closing half of the old pattern, which needs no opener).
_CLOSERS = {
    "*": re.compile(r"(?<!\s)\*(?![\w*])"),
    "_": re.compile(r"(?<!\s)_(?![\w*])"),
}


def remove_images(line: str) -> str:
    r"""``re.sub(r"!\[[^\]]*\]\([^)]*\)", "", line)``."""
    out: list[str] = []
    done = pos = 0
    while (start := line.find("![", pos)) >= 0:
        close = line.find("]", start + 2)
        if close < 0:
            break
        if not line.startswith("(", close + 1):
            pos = close + 1
            continue
        end = line.find(")", close + 2)
        if end < 0:
            break
        out.append(line[done:start])
        done = pos = end + 1
    out.append(line[done:])
    return "".join(out)


def replace_links(line: str, links: list[str] | None = None) -> str:
    r"""``re.sub(r"\[([^\]]+)\]\((https?://[^)\s]+)[^)]*\)", r"\1", line)``, adding
    each link's URL (the second group) to ``links``."""
    out: list[str] = []
    done = pos = 0
    while (start := line.find("[", pos)) >= 0:
        close = line.find("]", start + 1)
        if close < 0:
            break
        pos = close + 1  # whatever happens, no "[" before the "]" can do better
        url = close + 2
        if close == start + 1 or not line.startswith("(", close + 1):
            continue
        if not line.startswith(_SCHEMES, url):
            continue
        host = url + (8 if line.startswith("https://", url) else 7)
        end = line.find(")", host)
        if end < 0:
            break
        space = _SPACE.search(line, host, end)
        url_end = space.start() if space else end
        if url_end == host:  # the URL needs a character after its scheme
            continue
        if links is not None:
            links.append(line[url:url_end])
        out.append(line[done:start])
        out.append(line[start + 1 : close])
        done = pos = end + 1
    out.append(line[done:])
    return "".join(out)


def unwrap_autolinks(line: str) -> str:
    r"""``re.sub(r"<(https?://[^>\s]+)>", r"\1", line)``."""
    out: list[str] = []
    done = pos = 0
    while (start := line.find("<", pos)) >= 0:
        pos = start + 1
        if not line.startswith(_SCHEMES, start + 1):
            continue
        host = start + 1 + (8 if line.startswith("https://", start + 1) else 7)
        stop = _SPACE_OR_GT.search(line, host)
        end = stop.start() if stop else len(line)
        if end == host:
            continue
        if end == len(line) or line[end] != ">":
            pos = end  # every "<http" up to here runs into the same space or end
            continue
        out.append(line[done:start])
        out.append(line[start + 1 : end])
        done = pos = end + 1
    out.append(line[done:])
    return "".join(out)


def remove_tags(line: str) -> str:
    r"""``re.sub(r"</?[a-zA-Z][^>]*>", "", line)``."""
    out: list[str] = []
    done = pos = 0
    while (start := line.find("<", pos)) >= 0:
        pos = start + 1
        name = start + 2 if line.startswith("/", start + 1) else start + 1
        if not (name < len(line) and line[name].isascii() and line[name].isalpha()):
            continue
        end = line.find(">", name + 1)
        if end < 0:
            break
        out.append(line[done:start])
        done = pos = end + 1
    out.append(line[done:])
    return "".join(out)


def unwrap_emphasis(line: str) -> str:
    r"""``re.sub(EMPHASIS, lambda m: m.group(2) or m.group(4), line)`` where EMPHASIS is
    ``(\*\*|__)(.+?)\1|(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\3(?![\w*])``."""
    if "\n" in line:  # "." never matches a line end, so each line stands alone
        return "\n".join(unwrap_emphasis(part) for part in line.split("\n"))
    closers: dict[str, list[int]] = {}
    next_closer = {"*": 0, "_": 0}
    no_pair = {"*": False, "_": False}  # no "**" / "__" is left to close one
    out: list[str] = []
    done = 0
    for mark in _MARKS.finditer(line):
        start = mark.start()
        if start < done:
            continue
        char = line[start]
        pair = char * 2
        if not no_pair[char] and line.startswith(pair, start):
            end = line.find(pair, start + 3)
            if end >= 0:
                out.append(line[done:start])
                out.append(line[start + 2 : end])
                done = end + 2
                continue
            no_pair[char] = True
        if start > 0 and _WORD_OR_STAR.match(line, start - 1):
            continue
        if start + 1 >= len(line) or _SPACE.match(line, start + 1):
            continue
        if char not in closers:
            closers[char] = [m.start() for m in _CLOSERS[char].finditer(line)]
        found, i = closers[char], next_closer[char]
        while i < len(found) and found[i] < start + 2:
            i += 1
        next_closer[char] = i
        if i < len(found):
            out.append(line[done:start])
            out.append(line[start + 1 : found[i]])
            done = found[i] + 1
    out.append(line[done:])
    return "".join(out)
