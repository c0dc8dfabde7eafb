"""``TeamBot``: the one seam adapters call. Requests in, value objects out."""

from __future__ import annotations

from bot.answer.extract import Answerer, check_question
from bot.models import Answer, ArticleRef, CorpusWarning, SearchResult
from bot.search.index import SearchIndex

MAX_HITS = 50


class TeamBot:
    """Answers questions and searches over one indexed corpus.

    Args:
        index: the passage index.
        warnings: what went wrong loading the corpus (shown once at start).
    """

    def __init__(self, index: SearchIndex, warnings: tuple[CorpusWarning, ...] = ()) -> None:
        self._index = index
        self._answerer = Answerer(index)
        self.warnings = warnings

    def ask(self, question: str) -> Answer:
        """Answers a question from the articles, or says they don't answer it.

        Raises:
            QuestionError: the question is empty, blank or too long.
        """
        return self._answerer.answer(question)

    def search(self, query: str, k: int = 5) -> SearchResult:
        """The ``k`` best articles for ``query`` (at most ``MAX_HITS``), each with its best passage.

        Raises:
            QuestionError: the query is empty, blank or too long.
        """
        return self._index.search(check_question(query, what="query"), max(1, min(k, MAX_HITS)))

    def sources(self) -> tuple[ArticleRef, ...]:
        """Every article in the corpus, newest first (undated last)."""
        return tuple(
            sorted(
                self._index.articles,
                key=lambda a: (
                    a.published is None,
                    -(a.published.toordinal() if a.published else 0),
                    a.title,
                ),
            )
        )
