"""The answer pool: bounded, acknowledgement first, every accepted job run once."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from adapters.workers import WorkerPool

T = TypeVar("T")


def _run(test: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(asyncio.wait_for(test(), 20))


def test_full_queue_refuses_and_acknowledges_nothing() -> None:
    async def go() -> tuple[list[bool], list[str]]:
        pool = WorkerPool(workers=1, queue=1)
        release = asyncio.Event()
        acked: list[str] = []

        def ack(name: str) -> Callable[[], Awaitable[None]]:
            async def acknowledge() -> None:
                acked.append(name)

            return acknowledge

        async def job() -> None:
            await release.wait()

        taken = [await pool.accept(job, ack(name)) for name in ("first", "second", "third")]
        release.set()
        await pool.close()
        return taken, acked

    taken, acked = _run(go)
    assert taken == [True, True, False]
    assert acked == ["first", "second"]  # the one turned away was never acknowledged


def test_every_accepted_job_runs_exactly_once_and_frees_its_place() -> None:
    async def go() -> tuple[list[int], int]:
        pool = WorkerPool(workers=2, queue=3)
        done: list[int] = []

        def job(n: int) -> Callable[[], Awaitable[None]]:
            async def answer() -> None:
                done.append(await pool.run(lambda: n * n))

            return answer

        accepted = [n for n in range(5) if await pool.accept(job(n))]
        while pool.pending:
            await asyncio.sleep(0.01)
        again = await pool.accept(job(9))  # places are given back once jobs finish
        while pool.pending:
            await asyncio.sleep(0.01)
        await pool.close()
        return sorted(done), len(accepted) + again

    done, accepted = _run(go)
    assert done == [0, 1, 4, 9, 16, 81] and accepted == 6


def test_no_answer_starts_while_an_acknowledgement_is_under_way() -> None:
    async def go() -> tuple[list[str], list[str]]:
        pool = WorkerPool(workers=1, queue=1)
        loop = asyncio.get_running_loop()
        submitted: list[str] = []
        handing_over = loop.run_in_executor

        def record(executor: Any, work: Any, *args: Any) -> Any:
            # Handing work to a thread happens on the loop, synchronously: recording it
            # proves no answer started, without waiting to see whether one does.
            submitted.append("answer")
            return handing_over(executor, work, *args)

        loop.run_in_executor = record  # type: ignore[method-assign]
        with pool.acknowledging():
            answer = asyncio.create_task(pool.run(lambda: None))
            for _ in range(20):  # every step the answer's task can take without the ack
                await asyncio.sleep(0)
            during = list(submitted)
        await answer
        await pool.close()
        return during, submitted

    during, after = _run(go)
    assert during == [] and after == ["answer"]


def test_the_job_starts_only_after_its_acknowledgement() -> None:
    async def go() -> list[str]:
        pool = WorkerPool(workers=1, queue=0)
        order: list[str] = []

        async def acknowledge() -> None:
            # A round trip to the platform: the loop runs other tasks meanwhile, so a
            # job started before the ack would take its first step ("answer starts").
            for _ in range(10):
                await asyncio.sleep(0)
            order.append("ack")

        async def job() -> None:
            order.append("answer starts")
            order.append(await pool.run(lambda: "answered"))

        assert await pool.accept(job, acknowledge)
        while pool.pending:
            await asyncio.sleep(0.01)
        await pool.close()
        return order

    assert _run(go) == ["ack", "answer starts", "answered"]


def test_a_failed_acknowledgement_gives_its_place_back() -> None:
    async def go() -> tuple[bool, int]:
        pool = WorkerPool(workers=1, queue=0)

        async def broken() -> None:
            raise ConnectionError("the platform hung up")

        async def job() -> None:
            raise AssertionError("never queued")

        with pytest.raises(ConnectionError):
            await pool.accept(job, broken)
        pending = pool.pending
        taken = await pool.accept(_nothing)
        await pool.close()
        return taken, pending

    taken, pending = _run(go)
    assert taken and pending == 0


def test_a_failing_delivery_is_logged_and_the_pool_serves_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def go() -> list[str]:
        pool = WorkerPool(workers=1, queue=1)
        delivered: list[str] = []

        async def fails() -> None:
            raise ConnectionError("response_url gone")

        async def works() -> None:
            delivered.append(await pool.run(lambda: "answer"))

        await pool.accept(fails)
        await pool.accept(works)
        while pool.pending:
            await asyncio.sleep(0.01)
        await pool.close()
        return delivered

    assert _run(go) == ["answer"]
    assert "delivering an answer failed" in caplog.text
    assert "ConnectionError" in caplog.text and "response_url gone" in caplog.text


def test_close_drops_the_jobs_still_waiting() -> None:
    async def go() -> tuple[list[str], int]:
        pool = WorkerPool(workers=1, queue=2)
        release, answering = threading.Event(), threading.Event()
        ran: list[str] = []

        def produce(name: str) -> str:
            answering.set()
            release.wait(5)
            return name

        def job(name: str) -> Callable[[], Awaitable[None]]:
            async def answer() -> None:
                ran.append(await pool.run(lambda: produce(name)))

            return answer

        for name in ("a", "b", "c"):
            await pool.accept(job(name))
        assert await asyncio.to_thread(answering.wait, 5)  # "a" has the only worker
        release.set()
        await pool.close()
        return ran, pool.pending

    ran, pending = _run(go)
    assert pending == 0 and "b" not in ran and "c" not in ran


async def _nothing() -> None:
    return None
