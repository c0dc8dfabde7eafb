"""What the chat adapters share besides ``adapters.requests``: the rate limit's note,
and running until a signal (the one loop the Slack and Discord commands run:
``run_app``)."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Coroutine
from typing import Any, Protocol


def slow_down(wait: float) -> str:
    """The note for someone over the per-user rate limit."""
    return (
        f"You're asking faster than I can keep up with. Try again in {max(1, round(wait))} seconds."
    )


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
