"""How every adapter numbers an answer's sources. Pure functions, no markup.

An answer quotes sentences; each quote is followed by the number of the article
it comes from, and the sources are listed under the answer by those numbers. An
article gets a number the first time one of its sentences is quoted, counting
from 1, so a second quote from the same article repeats its number and the list
holds each article once, in the order the answer first cites it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import ArticleRef, Citation


@dataclass(frozen=True, slots=True)
class NumberedCitations:
    """An answer's quotes with their source numbers, and the numbered sources.

    ``quotes`` are (quote, number) pairs in the answer's order; ``sources`` are
    (number, article) pairs, numbers 1, 2, 3 … in order.
    """

    quotes: tuple[tuple[str, int], ...]
    sources: tuple[tuple[int, ArticleRef], ...]


def number_citations(citations: Sequence[Citation]) -> NumberedCitations:
    """Numbers ``citations`` by article, in the order each article is first cited.

    Args:
        citations: an answer's citations, in the answer's order.

    Returns:
        Each quote with its article's number, and each article once with its number.
    """
    numbers: dict[str, int] = {}
    sources: list[tuple[int, ArticleRef]] = []
    quotes: list[tuple[str, int]] = []
    for citation in citations:
        key = citation.article.article_id
        if key not in numbers:
            numbers[key] = len(numbers) + 1
            sources.append((numbers[key], citation.article))
        quotes.append((citation.quote, numbers[key]))
    return NumberedCitations(tuple(quotes), tuple(sources))
