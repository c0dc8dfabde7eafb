"""What kind of fact a question asks for, and whether a sentence holds one."""

from __future__ import annotations

import re
from enum import Enum

from bot.text.dates import MONTH_PATTERN


class Wants(Enum):
    """The kind of fact a question asks for."""

    NUMBER = "number"
    NAME = "name"
    DATE = "date"
    ANY = "any"


_NUMBER_Q = re.compile(
    r"\b(how (many|much|long|big|large|fast|old|short)|what (size|percentage|share|number|price)"
    r"|what is the (size|price|number|length|duration))\b",
    re.I,
)
_NAME_Q = re.compile(
    r"^\s*(who|whose|which|what (company|companies|firm|firms|lab|labs|model|models|team))\b"
    r"|\b(who|which (company|companies|firm|lab|model))\b",
    re.I,
)
_DATE_Q = re.compile(r"\b(when|what (date|day|year|month)|which (date|day|year|month))\b", re.I)

_NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|hundred|thousand"
    r"|million|billion|trillion|dozen|half|double|triple|sixteen)\b",
    re.I,
)
# Versions inside names are not the numbers a "how many" question asks for.
_VERSIONED_NAME = re.compile(
    r"\b[A-Z][\w-]*\s\d+\.\d+\b"  # Kling 3.0, Qwen-Image 2.0, Opus 4.5
    r"|\b\w+-\w*\d[\w.]*"  # GLM-5, Cosmos-Reason2
    r"|\b[A-Z]+\d[\w.]*"  # M2.5, X2
)
# A month must be a whole word: "declines 5%" and "Marvel 2" state no date.
_DATE = re.compile(
    rf"\b(19|20)\d\d\b|{MONTH_PATTERN}\.?\s+\d"
    r"|\b(yesterday|today|last (week|month|year)|this (week|month|year))\b",
    re.I,
)
_PROPER = re.compile(r"(?<=[\w,;:’'\"] )[A-Z][\w-]+")


def question_wants(question: str) -> Wants:
    """Classifies the fact a question asks for."""
    if _DATE_Q.search(question):
        return Wants.DATE
    if _NUMBER_Q.search(question):
        return Wants.NUMBER
    if _NAME_Q.search(question):
        return Wants.NAME
    return Wants.ANY


def holds(sentence: str, wants: Wants) -> bool:
    """True when ``sentence`` contains the kind of fact asked for."""
    if wants is Wants.NUMBER:
        return bool(_NUMBER.search(_VERSIONED_NAME.sub(" ", sentence)))
    if wants is Wants.DATE:
        return bool(_DATE.search(sentence))
    if wants is Wants.NAME:
        return bool(_PROPER.search(sentence))
    return False
