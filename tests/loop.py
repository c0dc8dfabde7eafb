"""An asyncio event loop on a daemon thread, so synchronous tests can drive async servers."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any

from aiohttp import web


class LoopThread:
    """An asyncio event loop on a daemon thread, for synchronous tests."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)


class Recording:
    """What a fake server records, and a way to wait until it has recorded enough."""

    def __init__(self) -> None:
        self.changed = asyncio.Condition()

    async def wait_for(self, what: str, count: int, timeout: float = 20) -> list[Any]:
        """Waits until the list attribute ``what`` holds ``count`` items; returns a copy."""
        async with self.changed:
            await asyncio.wait_for(
                self.changed.wait_for(lambda: len(getattr(self, what)) >= count), timeout
            )
        return list(getattr(self, what))

    async def record(self, what: str, item: Any) -> None:
        """Appends ``item`` to the list attribute ``what`` and wakes the waiters."""
        async with self.changed:
            getattr(self, what).append(item)
            self.changed.notify_all()


async def start_site(app: web.Application) -> tuple[web.AppRunner, int]:
    """Serves ``app`` on 127.0.0.1 at a free port; returns the runner and the port."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # noqa: SLF001
