"""Running an adapter until a signal (chat.run_app): start once connected, close however it ends."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from adapters.chat import run_app


class Recorder:
    """An app that records its start and close."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def start(self) -> None:
        self.calls.append("start")

    def close(self) -> None:
        self.calls.append("close")


def test_run_app_starts_once_connected_and_closes_after_a_signal() -> None:
    app = Recorder()

    async def serve(stop: asyncio.Event, ready: asyncio.Event) -> None:
        app.calls.append("connected")
        ready.set()
        os.kill(os.getpid(), signal.SIGTERM)  # handled by the loop: sets stop
        await stop.wait()
        app.calls.append("stopped")

    run_app(app, serve)
    assert app.calls == ["connected", "start", "stopped", "close"]


def test_run_app_stops_on_sigint_too() -> None:
    app = Recorder()

    async def serve(stop: asyncio.Event, ready: asyncio.Event) -> None:
        ready.set()
        os.kill(os.getpid(), signal.SIGINT)
        await stop.wait()

    run_app(app, serve)
    assert app.calls == ["start", "close"]


def test_run_app_never_starts_when_serving_ends_before_connecting() -> None:
    app = Recorder()

    async def serve(stop: asyncio.Event, ready: asyncio.Event) -> None:
        return  # a rejected token: the server gives up without connecting

    run_app(app, serve)
    assert app.calls == ["close"]


def test_run_app_closes_and_reraises_when_serving_fails() -> None:
    app = Recorder()

    async def serve(stop: asyncio.Event, ready: asyncio.Event) -> None:
        ready.set()
        await asyncio.sleep(0)  # let the runner see ready first
        raise ConnectionError("platform went away")

    with pytest.raises(ConnectionError, match="went away"):
        run_app(app, serve)
    assert app.calls == ["start", "close"]
