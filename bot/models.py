"""Frozen value objects passed between the core and the adapters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


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
    generated_title: bool = False  # no title in the file: made from the names it mentions

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
    generated_title: bool = False


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
    """An extractive answer, or not (``answered`` false).

    Three tiers: an answer (``answered``, its sentences in ``citations``); not
    sure (not ``answered``, the closest passages in ``related``, clearly not an
    answer); nothing (neither). ``confidence`` is the answer model's calibrated
    probability that its best sentence answers the question. ``searched_for`` is
    the question as searched when its spelling was corrected.
    """

    question: str
    answered: bool
    text: str
    citations: tuple[Citation, ...] = ()
    related: tuple[Citation, ...] = ()
    confidence: float = 0.0
    searched_for: str | None = None

    @property
    def tier(self) -> str:
        """``answer``, ``closest`` (not sure: quotes only) or ``none``."""
        if self.answered:
            return "answer"
        return "closest" if self.related else "none"


@dataclass(frozen=True, slots=True)
class CorpusWarning:
    """A file (or line) that was skipped or loaded only in part."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True, slots=True)
class KeyPoint:
    """What one of a story's products or companies did, in a sentence from a source.

    ``source`` is the 1-based position of that article in ``Story.articles``.
    """

    name: str
    text: str
    source: int


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about the same events, summarised.

    ``summary`` is one or two sentences a reader can follow alone; ``key_points``
    say what the story's main products or companies did, each with its source.
    """

    headline: str
    summary: str
    entities: tuple[str, ...]
    articles: tuple[ArticleRef, ...]
    key_points: tuple[KeyPoint, ...] = ()


@dataclass(frozen=True, slots=True)
class Digest:
    """The stories new in a window. ``days`` is set for a window of whole days."""

    since: datetime
    until: datetime
    stories: tuple[Story, ...]
    days: tuple[date, date] | None = None

    @property
    def empty(self) -> bool:
        """True when nothing is new in the window."""
        return not self.stories


@dataclass(frozen=True, slots=True)
class Command:
    """One thing a person can ask of teambot, as data: each adapter spells it in its
    platform's own syntax (``/digest [DATE]``, ``/digest [date: …]``).

    Attributes:
        name: the request's name (``ask``, ``search``, ``sources``, ``digest``).
        summary: what it gives back, in one line.
        argument: what it takes (``question``, ``query``, ``date``); ``None``: nothing.
        optional: the argument may be left out.
        forms: the forms the argument takes (``today``, ``YYYY-MM-DD``…); empty: free text.
    """

    name: str
    summary: str
    argument: str | None = None
    optional: bool = False
    forms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Help:
    """What teambot is and what it can be asked, for an adapter to render.

    Attributes:
        about: what teambot does, in a few plain sentences.
        commands: what a person can ask for, ``ask`` first.
        articles: how many articles the corpus holds.
        example: a question to show as an example.
    """

    about: str
    commands: tuple[Command, ...]
    articles: int
    example: str

    def command(self, name: str) -> Command:
        """The command called ``name``.

        Raises:
            KeyError: no command has that name.
        """
        for command in self.commands:
            if command.name == name:
                return command
        raise KeyError(name)
