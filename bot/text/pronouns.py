"""The English words that make a sentence opening with them point back at an earlier
one ("It runs on ...", "Both firms said ..."): a reader, or the answer model, needs
the sentence before to know what they stand for.

A closed class of English grammar, listed whole rather than tuned: third-person
personal pronouns (subject, object, possessive) and the demonstratives and
determiners that stand for something already named. First and second person
("I", "we", "you") point at the speaker or the reader, not back, and are left out.
The answer features (``points_back``) and the digest's summary (``stands_alone``)
both read this one list.
"""

from __future__ import annotations

import re

#: Third-person personal pronouns and possessives.
PERSONAL = ("he", "him", "his", "she", "her", "it", "its", "they", "them", "their")
#: Demonstratives, and the determiners that stand for things named before.
DEMONSTRATIVE = ("this", "that", "these", "those", "such", "both")
#: Every word that points back, lower case.
POINTING_BACK = frozenset(PERSONAL + DEMONSTRATIVE)

_OPENS = re.compile(rf"^(?:{'|'.join(sorted(POINTING_BACK))})\b", re.I)


def opens_pointing_back(sentence: str) -> bool:
    """True when ``sentence`` starts, at its very first character, with one of
    ``POINTING_BACK`` as a whole word (any case): "It runs", not "Items" or '"It'."""
    return _OPENS.match(sentence) is not None
