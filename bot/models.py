"""Frozen value objects passed between the core and the adapters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Section:
    """A run of paragraphs under one heading (``None`` before the first heading)."""

    heading: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, cleaned, with its metadata."""

    id: str
    title: str
    sections: tuple[Section, ...]
    url: str | None = None
    source: str | None = None
    published: date | None = None
    path: str | None = None
    links: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The body as plain text, paragraphs separated by blank lines."""
        return "\n\n".join(p for s in self.sections for p in s.paragraphs)


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """What a citation or a listing needs to know about an article."""

    article_id: str
    title: str
    url: str | None
    source: str | None
    published: date | None


@dataclass(frozen=True, slots=True)
class Passage:
    """A few sentences of one article, searched as a unit."""

    article: ArticleRef
    heading: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Hit:
    """One article's best passage for a query."""

    passage: Passage
    score: float


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The hits for a query, best first, one per article."""

    query: str
    hits: tuple[Hit, ...]
    took_ms: float


@dataclass(frozen=True, slots=True)
class Citation:
    """The source of one answer sentence."""

    article: ArticleRef
    quote: str


@dataclass(frozen=True, slots=True)
class Answer:
    """An extractive answer, or an abstention (``answered`` false) with related articles."""

    question: str
    answered: bool
    text: str
    citations: tuple[Citation, ...] = ()
    related: tuple[ArticleRef, ...] = ()


@dataclass(frozen=True, slots=True)
class CorpusWarning:
    """A file (or line) that was skipped or loaded only in part."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"
