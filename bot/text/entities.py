"""Names of companies and models mentioned in a text, by frequency."""

from __future__ import annotations

import re
from collections import Counter

from bot.text.dates import MONTHS

# A capitalised word (or CamelCase, or an acronym), optionally followed by more
# capitalised words, by a version ("Seedance 2.0", "Spark X2", "GLM-5"), by a
# middle initial ("Donald J. Trump"), or by "of"/"for" and a capitalised word
# ("Bureau of Labor Statistics", "Centers for Disease Control"), except after an
# all-capitals word, which is a title there ("CEO of Alibaba").
_WORD = r"[A-Z][\w]*(?:[-.][\w]+)*"
_NAME = re.compile(
    rf"(?<![\w.])({_WORD}(?:[ \t]+[A-Z]\.(?=[ \t]+[A-Z])|[ \t]+{_WORD}|[ \t]+\d+(?:\.\d+)+"
    rf"|(?<=[a-z])[ \t]+(?:of|for)[ \t]+{_WORD})*)"
)
# A short word always written with a full stop after it is an abbreviated title or
# place ("Gov. Ron DeSantis", "Rep.", "D-Calif."), not a name of its own.
_ABBREVIATION_LETTERS = 4
_AFTER_ABBREVIATION = re.compile(r"(?<![\w.])[A-Z][a-z]{0,3}\.$")
# Capitalised words that open sentences or dates rather than name anything:
# trimmed from either end of a name.
_EDGE_WORDS = frozenset(
    """a an the this that these those it its he she they we i in on at of for and but or
    as by with from to if when while after before however meanwhile perhaps yet still
    one two first last here there what why how who which where not no so then also
    monday tuesday wednesday thursday friday saturday sunday think let imagine
    """.split()
) | frozenset(MONTHS)
# Names so common in this field's news that alone they say nothing ("China",
# "AI"); inside a longer name they stay ("Southeast Asia", "China Mobile").
_TOO_COMMON_ALONE = frozenset(
    """china chinese ai u.s us america american western west east beijing asia global""".split()
)
_LOWER_WORD = re.compile(r"(?<![\w-])[a-z]+(?![\w-])")
_POSSESSIVE = re.compile(r"['’]s$")
# Product and company names ("RynnBrain", "GLM-5", "Seedance 2.0") say more about an
# article than ordinary capitalised words, so they count double when ranking.
_DISTINCTIVE = re.compile(r"\d|[a-z][A-Z]")
_ADJECTIVE = re.compile(r"-[a-z]+$")  # "Beijing-based", "AI-generated"


def named_entities(text: str, *, limit: int = 10) -> list[str]:
    """Returns the most frequent names in ``text``, most prominent first.

    A name must appear at least once away from the start of a sentence, which
    keeps out ordinary capitalised words ("Meanwhile", "Perhaps").
    """
    counts: Counter[str] = Counter()
    mid_sentence: set[str] = set()
    unabbreviated: set[str] = set()
    for match in _NAME.finditer(text):
        name = _clean(match.group(1))
        if not name:
            continue
        counts[name] += 1
        if text[match.end() : match.end() + 1] != ".":
            unabbreviated.add(name)
        # Only the few characters before the name matter (a sentence end, "Gov.").
        before = text[max(0, match.start() - 16) : match.start()].rstrip(" \t")
        if (before and before[-1] not in '.!?\n"“‘(') or _AFTER_ABBREVIATION.search(before):
            mid_sentence.add(name)
    # A capitalised word that also appears in lower case ("Rapid creation ..." in a
    # bullet, "rapid releases" in prose) is an ordinary word, not a name.
    lower_words = set(_LOWER_WORD.findall(text))
    weighted = Counter({n: c * (2 if _DISTINCTIVE.search(n) else 1) for n, c in counts.items()})
    ranked = [
        n
        for n, _ in weighted.most_common()
        if n in mid_sentence
        and not (" " not in n and n.lower() in lower_words)
        and (n in unabbreviated or " " in n or len(n) > _ABBREVIATION_LETTERS)
    ]
    return ranked[:limit]


def _clean(name: str) -> str:
    words = [_POSSESSIVE.sub("", w) for w in name.split()]
    first, last = 0, len(words)  # one slice: popping from the front was quadratic
    while first < last and words[first].lower() in _EDGE_WORDS:
        first += 1
    while last > first and words[last - 1].lower() in _EDGE_WORDS:
        last -= 1
    words = words[first:last]
    if not words or (len(words) == 1 and len(words[0]) < 2):
        return ""
    if all(w.lower() in _TOO_COMMON_ALONE for w in words):
        return ""
    if _ADJECTIVE.search(words[-1]):
        return ""
    return " ".join(words)
