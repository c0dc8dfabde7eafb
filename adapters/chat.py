"""What the chat adapters share: core calls off the event loop, friendly failures,
digest windows from a typed date, and running until a signal (the one loop the
Slack and Discord commands run: ``run_app``)."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol, TypeVar

from adapters.boundary import sorry
from bot.digest.window import Window, on_day
from bot.protocol import Bot

T = TypeVar("T")

FAILED = "Sorry, something went wrong while answering that. It has been logged; try again later."


def slow_down(wait: float) -> str:
    """The note for someone over the per-user rate limit."""
    return (
        f"You're asking faster than I can keep up with. Try again in {max(1, round(wait))} seconds."
    )


def digest_window(bot: Bot, day: str | None) -> Window:
    """The last 24 hours, or the day typed after /digest (today, yesterday, YYYY-MM-DD).

    Raises:
        WindowError: a day that is none of those.
    """
    return on_day(day, now=bot.clock(), zone=bot.zone)


async def render(
    produce: Callable[[], T],
    failure: Callable[[str], T],
    log: logging.Logger,
    run: Callable[[Callable[[], T]], Awaitable[T]] | None = None,
) -> T:
    """Runs the core (CPU-bound, synchronous) off the event loop: with ``run`` (a
    ``WorkerPool``'s), else on a thread of asyncio's own.

    A ``BotError`` becomes "Sorry: <message>."; any other exception is logged
    and becomes a friendly note, so the bot keeps serving.
    """
    try:
        return await (run(produce) if run is not None else asyncio.to_thread(produce))
    except Exception as exc:
        return failure(sorry(exc, log, FAILED, "error while answering a chat request"))


async def run_until_signalled(
    serve: Callable[[asyncio.Event, asyncio.Event], Coroutine[Any, Any, None]],
    on_ready: Callable[[], None],
) -> None:
    """Runs ``serve(stop, ready)`` until SIGINT or SIGTERM; calls ``on_ready`` once connected.

    Args:
        serve: the adapter's server; it returns once ``stop`` is set (or it fails).
        on_ready: called once, when ``serve`` sets ``ready``; never if it returns first.
    """
    stop, ready = asyncio.Event(), asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    server = asyncio.create_task(serve(stop, ready))
    waiter = asyncio.create_task(ready.wait())
    await asyncio.wait({server, waiter}, return_when=asyncio.FIRST_COMPLETED)
    if ready.is_set():
        on_ready()
    waiter.cancel()
    await server


class Startable(Protocol):
    """What runs beside an adapter: started once connected, closed at the end."""

    def start(self) -> None: ...

    def close(self) -> None: ...


def run_app(
    app: Startable,
    serve: Callable[[asyncio.Event, asyncio.Event], Coroutine[Any, Any, None]],
) -> None:
    """Serves until a signal in a new event loop: ``app`` starts (corpus watching,
    scheduled digests) once the platform accepted the connection, and is closed
    however serving ends (a signal, a rejected token, an error).

    Raises:
        Whatever ``serve`` raises, after ``app`` is closed.
    """
    try:
        asyncio.run(run_until_signalled(serve, app.start))
    finally:
        app.close()
