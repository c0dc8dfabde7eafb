"""``TeamBot``: the one seam adapters call. Requests in, value objects out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.answer.extract import Answerer, check_question
from bot.answer.model import fusion_weight
from bot.clock import utc_now
from bot.digest.window import Window
from bot.embed.lazy import LazyModel
from bot.help import make_help
from bot.models import Answer, ArticleRef, CorpusWarning, Digest, Help, SearchResult
from bot.search.hybrid import Retriever
from bot.search.index import SearchIndex
from bot.signals import import_with_signals_blocked
from bot.state.store import StateStore

MAX_HITS = 50


@dataclass(frozen=True, slots=True)
class _Core:
    """One index and what answers from it, swapped whole when the corpus changes."""

    index: SearchIndex
    retriever: Retriever
    answerer: Answerer
    loaded_at: datetime  # when this index took hold (see ``_first_seen_stamp``)
    warnings: tuple[CorpusWarning, ...]
    fingerprint: str


class TeamBot:
    """Answers questions and searches over one indexed corpus.

    Args:
        index: the passage index.
        state: where first-seen times are kept.
        zone: the time zone digest days are counted in.
        warnings: what went wrong loading the corpus (shown once at start).
        fingerprint: the corpus files' fingerprint this index was built from.
        clock: the current time (aware).
        static: the static embedding model (dense retrieval); ``None``: BM25 alone.
        rerank: the sentence model that reranks answers; ``None``: BM25 signals alone.
    """

    def __init__(
        self,
        index: SearchIndex,
        state: StateStore,
        zone: ZoneInfo,
        *,
        warnings: tuple[CorpusWarning, ...] = (),
        fingerprint: str = "",
        clock: Callable[[], datetime] = utc_now,
        static: LazyModel | None = None,
        rerank: LazyModel | None = None,
    ) -> None:
        self._static = static
        self._rerank = rerank
        self._state = state
        self.zone = zone
        self.clock = clock
        self._core = self._make_core(index, warnings, fingerprint)

    def _make_core(
        self, index: SearchIndex, warnings: tuple[CorpusWarning, ...], fingerprint: str
    ) -> _Core:
        retriever = Retriever(index, self._static, fusion_weight())
        answerer = Answerer(retriever, self._rerank)
        return _Core(index, retriever, answerer, self.clock(), warnings, fingerprint)

    def replace_index(
        self, index: SearchIndex, *, warnings: tuple[CorpusWarning, ...] = (), fingerprint: str = ""
    ) -> None:
        """Serves ``index`` from now on (the live corpus changed). One assignment: a
        request in flight finishes on the index it started with, never half of each."""
        self._core = self._make_core(index, warnings, fingerprint)

    @property
    def warnings(self) -> tuple[CorpusWarning, ...]:
        """What went wrong loading the corpus."""
        return self._core.warnings

    @property
    def fingerprint(self) -> str:
        """Names the index being served (changes when the corpus does)."""
        return self._core.fingerprint

    @property
    def state(self) -> StateStore:
        """The state store (the chat adapters keep shared rate limits and seen events there)."""
        return self._state

    @property
    def retriever(self) -> Retriever:
        """Hybrid passage retrieval (the fitting script tunes its fusion weight)."""
        return self._core.retriever

    @property
    def answerer(self) -> Answerer:
        """The answer pipeline (the benchmarks and the fitting script reach its signals)."""
        return self._core.answerer

    def ask(self, question: str) -> Answer:
        """Answers a question from the articles, or says they don't answer it.

        Raises:
            QuestionError: the question is empty, blank or too long.
        """
        return self._core.answerer.answer(question)

    def search(self, query: str, k: int = 5) -> SearchResult:
        """The ``k`` best articles for ``query`` (at most ``MAX_HITS``), each with its best passage.

        Raises:
            QuestionError: the query is empty, blank or too long.
        """
        query = check_question(query, what="query")
        return self._core.retriever.search(query, max(1, min(k, MAX_HITS)))

    def article_count(self) -> int:
        """How many articles the corpus holds."""
        return len(self._core.index.articles)

    def sources(self) -> tuple[ArticleRef, ...]:
        """Every article in the corpus, newest first (undated last)."""
        return tuple(
            sorted(
                self._core.index.articles,
                key=lambda a: (
                    a.published is None,
                    -(a.published.toordinal() if a.published else 0),
                    a.title,
                ),
            )
        )

    def digest(self, window: Window) -> Digest:
        """The stories among the articles in ``window`` (see ``build_digest``).

        Raises:
            StateError: the state store cannot be used.
        """
        # Imported here: grouping needs scipy, which a one-shot `teambot ask` never
        # should pay for at start-up (a quarter of a second); its BLAS workers start
        # as it loads, so with the signals blocked (see bot.signals).
        import_with_signals_blocked("scipy.sparse")
        from bot.digest.builder import build_digest

        core = self._core
        first_seen = self._see(core, self._first_seen_stamp(core, window))
        return build_digest(core.index, first_seen, window, self.zone)

    def help(self) -> Help:
        """What teambot is and what it can be asked, with the corpus's size."""
        return make_help(self.article_count())

    def see(self, now: datetime | None = None) -> dict[str, datetime]:
        """Records every current article's first-seen time (once, as ``now``, by default
        the current time); returns them all."""
        return self._see(self._core, now if now is not None else self.clock())

    def _see(self, core: _Core, stamp: datetime) -> dict[str, datetime]:
        return self._state.see((a.article_id for a in core.index.articles), stamp)

    def _first_seen_stamp(self, core: _Core, window: Window) -> datetime:
        """When a digest of ``window`` records the articles the store does not know yet.

        A freshly built index records its articles as it loads; a cached one, loaded
        with no record of them (a new or deleted state database), leaves them to the
        first digest. Recording them at the current time would put them just after a
        window that ends "now" as the digest was asked for, so that digest would find
        nothing new and the next one would list them. Any time from loading to now is
        true, so the window's end is taken when it falls in that span: the digest that
        records the articles counts them, as it does after a rebuild.
        """
        now = self.clock()
        return min(now, max(core.loaded_at, window.until))
