"""A bounded pool that answers chat requests after they are acknowledged.

Slack wants every request acknowledged within 3 seconds and Discord every
interaction deferred within 3 seconds, however many arrive at once. So an adapter
acknowledges first, on the event loop, and hands the answer to this pool: a queue
of at most ``QUEUE`` accepted requests in front of ``WORKERS`` threads that run the
core. A request that finds the queue full is told at once that teambot is busy
(``adapters.wording.BUSY``) instead of waiting minutes for an answer.

Answering is CPU-bound Python, and a thread running it holds the GIL much of the
time, which slows the event loop beside it. So while any acknowledgement is under
way (``acknowledging``), no answer starts: the ones already running finish, the
rest wait until the acknowledgements are out.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from bot.signals import leave_to_main_thread

log = logging.getLogger("teambot")

T = TypeVar("T")

#: Threads that answer: one a core of the two-core machine teambot is benchmarked on.
#: An answer leaves the GIL to other threads part of its time (in ONNX Runtime and
#: numpy), when a second one can run; more threads would only take the GIL from the
#: event loop more often.
WORKERS = 2
#: Accepted requests that may wait for a worker. At the 4-14 answers a second two
#: workers gave on the benchmark machine (``bench/load.py``; busy to quiet), the last of
#: them is answered 7-27 s later: within the minute the busy note asks others to wait.
QUEUE = 100

Job = Callable[[], Coroutine[Any, Any, None]]


class WorkerPool:
    """Runs accepted jobs (an answer and its delivery), ``workers`` answers at a time.

    Args:
        workers: threads that run the core.
        queue: accepted jobs that may wait for one of them; past that, ``accept``
            refuses.
    """

    def __init__(self, workers: int = WORKERS, queue: int = QUEUE) -> None:
        self._threads = ThreadPoolExecutor(
            workers, "teambot-answer", initializer=leave_to_main_thread
        )
        self._turns = asyncio.Semaphore(workers)
        self._capacity = workers + queue
        self._jobs: set[asyncio.Task[None]] = set()
        self._reserved = 0  # places held while their request is acknowledged
        self._acknowledging = 0
        self._acknowledged = asyncio.Event()
        self._acknowledged.set()

    @property
    def pending(self) -> int:
        """Accepted jobs not finished yet: waiting, answering or delivering."""
        return len(self._jobs) + self._reserved

    @property
    def full(self) -> bool:
        """True when ``accept`` would refuse."""
        return self.pending >= self._capacity

    async def accept(
        self, job: Job, acknowledge: Callable[[], Awaitable[object]] | None = None
    ) -> bool:
        """Takes ``job`` if the queue has room: awaits ``acknowledge`` (the platform's
        ack or deferral) first, then queues the job.

        Returns:
            False, having acknowledged nothing, when the queue is full: the caller
            tells the person teambot is busy.
        """
        if self.full:
            return False
        self._reserved += 1
        try:
            if acknowledge is not None:
                with self.acknowledging():
                    await acknowledge()
        finally:
            self._reserved -= 1
        task = asyncio.create_task(job())
        self._jobs.add(task)
        task.add_done_callback(self._finished)
        return True

    async def run(self, produce: Callable[[], T]) -> T:
        """Runs ``produce`` (the core: CPU-bound, synchronous) on a worker thread, once
        one is free and no acknowledgement is under way."""
        async with self._turns:
            await self._acknowledged.wait()
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._threads, produce)

    @contextmanager
    def acknowledging(self) -> Iterator[None]:
        """Marks an acknowledgement under way: no answer starts until it is out."""
        self._acknowledging += 1
        self._acknowledged.clear()
        try:
            yield
        finally:
            self._acknowledging -= 1
            if not self._acknowledging:
                self._acknowledged.set()

    async def close(self) -> None:
        """Drops the jobs not done (the process is stopping) and stops the threads."""
        for task in list(self._jobs):
            task.cancel()
        await asyncio.gather(*self._jobs, return_exceptions=True)
        self._threads.shutdown(wait=False, cancel_futures=True)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._jobs.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            log.error("delivering an answer failed", exc_info=error)
