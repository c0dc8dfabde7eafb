"""What every adapter asks of the core: a ``Request`` in, one ``call``, a result out.

Each adapter turns its platform's payload into a ``Request`` (a pure
``to_request``), runs ``call(bot, request)`` in its worker pool, and renders the
result (a pure ``render``). ``call`` is the one place a request reaches the
``Bot``, and the one error boundary of a chat request: whatever it raises comes
back as a ``Failure`` that says what a person may be told
(``adapters.boundary.sorry``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

from adapters.boundary import sorry
from adapters.digest_pages import read_page, read_sources_token
from bot.digest.window import on_day
from bot.logs import log_failure
from bot.models import Answer, ArticleRef, Digest, Help, SearchResult
from bot.protocol import Bot

log = logging.getLogger("teambot")

T = TypeVar("T")

#: ``ask``, ``search``, ``sources``, ``digest`` and ``help`` reach the core;
#: ``usage`` (a command typed wrong) and ``quit`` (the console's) are answered by
#: the adapter alone.
Kind = Literal["ask", "search", "sources", "digest", "help", "usage", "quit"]

#: The reply to a request that failed unexpectedly (the failure itself is logged).
FAILED = "Sorry, something went wrong while answering that. It has been logged; try again later."


@dataclass(frozen=True, slots=True)
class Request:
    """One thing a person asked for, whatever the platform.

    Attributes:
        kind: what is asked for.
        text: the question (``ask``), the query (``search``), or what a ``usage``
            request got wrong.
        day: the day typed after a digest command (``None``: the last 24 hours).
        page: a "More" button's state (``adapters.digest_pages``): the digest
            or article list continues from there.
        user: who asked (the rate limit counts per user).
    """

    kind: Kind
    text: str = ""
    day: str | None = None
    page: str = ""
    user: str = ""


@dataclass(frozen=True, slots=True)
class Sources:
    """The article list, newest first, to be shown from index ``start``."""

    articles: tuple[ArticleRef, ...]
    start: int = 0


@dataclass(frozen=True, slots=True)
class DigestPage:
    """A digest, to be shown from story index ``start``."""

    digest: Digest
    start: int = 0


@dataclass(frozen=True, slots=True)
class Failure:
    """A request that failed: ``text`` is what the person is told."""

    text: str


Result = Answer | SearchResult | Sources | DigestPage | Help | Failure


def call_and_render(
    bot: Bot, request: Request, render: Callable[[Result], T], *, failed: str = FAILED
) -> T:
    """``call``, then ``render``, both on the worker thread that answers (a long reply's
    layout stays off the event loop). A render that fails gives the failure note,
    rendered, and the error is logged: a person always gets a reply."""
    result = call(bot, request, failed=failed)
    try:
        return render(result)
    except Exception as exc:
        log_failure(
            log,
            logging.ERROR,
            "error while rendering the reply to a %s request",
            request.kind,
            exc=exc,
        )
        return render(Failure(failed))


def call(bot: Bot, request: Request, *, failed: str = FAILED) -> Result:
    """Asks ``bot`` for what ``request`` names (synchronous: run it off the event loop).

    A digest day or a "More" button's state becomes a window here, once.

    Args:
        bot: the core.
        request: what to ask it.
        failed: what a person is told when the request fails unexpectedly.

    Returns:
        The core's value; or a ``Failure`` whatever the core (or a stale
        button) raised: "Sorry: <message>." for a ``BotError``, else ``failed``,
        the exception logged with its traceback.

    Raises:
        ValueError: a ``usage`` or ``quit`` request, which the core has no part in.
    """
    if request.kind in ("usage", "quit"):
        raise ValueError(f"a {request.kind} request needs no core call")
    try:
        return _dispatch(bot, request)
    except Exception as exc:
        what = "error while answering a %s request"
        return Failure(sorry(exc, log, failed, what, request.kind))


def _dispatch(bot: Bot, request: Request) -> Result:
    if request.kind == "ask":
        return bot.ask(request.text)
    if request.kind == "search":
        return bot.search(request.text)
    if request.kind == "help":
        return bot.help()
    if request.kind == "sources":
        start = read_sources_token(request.page) if request.page else 0
        return Sources(bot.sources(), start)
    if request.page:
        page = read_page(request.page, bot.zone)
        return DigestPage(bot.digest(page.window), page.start)
    return DigestPage(bot.digest(on_day(request.day, now=bot.clock(), zone=bot.zone)))
