"""Cuts articles into passages of a few sentences within one section."""

from __future__ import annotations

from collections.abc import Iterator

from bot.models import Article
from bot.text.sentences import split_sentences

#: A passage holds whole sentences up to about this many words (a longer single
#: sentence stands alone). ~100 words scored best on SciFact through this code.
PASSAGE_WORDS = 100


def article_passages(article: Article) -> Iterator[tuple[str | None, str]]:
    """Yields ``(heading, text)`` for each passage of ``article``, in order."""
    for section in article.sections:
        sentences: list[str] = []
        words = 0
        for paragraph in section.paragraphs:
            for sentence in split_sentences(paragraph):
                n = len(sentence.split())
                if sentences and words + n > PASSAGE_WORDS:
                    yield section.heading, " ".join(sentences)
                    sentences, words = [], 0
                sentences.append(sentence)
                words += n
        if sentences:
            yield section.heading, " ".join(sentences)
