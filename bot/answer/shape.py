"""What kind of fact a question asks for, and whether a sentence holds one."""

from __future__ import annotations

import re
from enum import Enum


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

# A number, but not the version in a name ("GLM-5", "M2.5", "Kling 3.0").
_NUMBER = re.compile(
    r"(?<![\w.-])(?<![A-Z][a-z] )(?<![A-Z][a-z][a-z] )\d"
    r"|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|hundred|thousand"
    r"|million|billion|trillion|dozen|half|double|triple|sixteen)\b",
    re.I,
)
_DATE = re.compile(
    r"\b(19|20)\d\d\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d"
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
        return bool(_NUMBER.search(sentence))
    if wants is Wants.DATE:
        return bool(_DATE.search(sentence))
    if wants is Wants.NAME:
        return bool(_PROPER.search(sentence))
    return False
