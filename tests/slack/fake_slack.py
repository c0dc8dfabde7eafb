"""A fake Slack on 127.0.0.1: the Web API methods teambot calls, response_url
receivers, and a Socket Mode websocket. Runs on its own event loop thread."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

from tests.loop import LoopThread, Recording, start_site  # noqa: F401 - LoopThread re-exported

BAD_TOKEN = "xoxb-rejected-token-0000"
BOT_USER = "UBOT"
RESPONSE_URL_USES = 5  # Slack: a response_url takes "up to five" messages


class FakeSlack(Recording):
    """Records every call; ``ratelimit_next`` makes the next posts answer 429;
    ``not_in`` lists channels teambot is not a member of (``not_in_channel``);
    ``refuse_after`` refuses posts once that many were accepted.
    A response_url refuses a sixth message, as Slack's does (``refused``).
    Posted messages make up each channel's ``history`` (conversations.history, with
    their metadata when asked for it); ``history_error`` makes that method fail;
    ``hold_after`` keeps the answers to posts past that many from being sent (each
    post is accepted first), until ``released`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.posts: list[dict[str, Any]] = []
        self.responses: list[dict[str, Any]] = []
        self.acks: list[dict[str, Any]] = []
        self.refused: list[dict[str, Any]] = []
        self.not_in: set[str] = set()
        self.refuse_after: int | None = None  # posts accepted before "msg_blocks_too_long"
        self.ratelimit_next = 0
        self.history: dict[str, list[dict[str, Any]]] = {}  # by channel, oldest first
        self.history_error: str | None = None
        self.hold_after: int | None = None
        self.released = asyncio.Event()
        self._uses: dict[str, int] = {}
        self.port = 0
        self._ids = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self._runner: web.AppRunner | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/response/{next(self._ids)}"

    async def start(self) -> None:
        app = web.Application()
        app.add_routes(
            [
                web.post("/api/{method}", self._api),
                web.get("/api/{method}", self._api),  # conversations.history is a GET
                web.post("/response/{id}", self._response),
                web.get("/link", self._socket),
            ]
        )
        self._runner, self.port = await start_site(app)

    async def stop(self) -> None:
        for ws in self._sockets:
            await ws.close()
        if self._runner:
            await self._runner.cleanup()

    async def send_envelope(self, kind: str, payload: dict[str, Any], retry: int = 0) -> str:
        """Delivers a Socket Mode envelope to the connected client; returns its id."""
        envelope_id = f"env-{next(self._ids)}"
        message = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry,
            "retry_reason": "timeout" if retry else "",
        }
        for _ in range(100):
            if self._sockets:
                break
            await asyncio.sleep(0.05)
        await self._sockets[-1].send_str(json.dumps(message))
        return envelope_id

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        raw = await request.text()
        if request.content_type == "application/json" and raw:
            params: dict[str, Any] = json.loads(raw)
        else:
            params = dict(parse_qsl(raw))
        params.update(request.query)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ") or params.get(
            "token", ""
        )
        self.calls.append((method, {**params, "_token": token}))
        if method == "auth.test":
            if token == BAD_TOKEN:
                return web.json_response({"ok": False, "error": "invalid_auth"})
            return web.json_response(
                {
                    "ok": True,
                    "user_id": BOT_USER,
                    "user": "teambot",
                    "team": "Test Team",
                    "team_id": "T1",
                    "bot_id": "BBOT",
                    "url": "https://test.slack.com/",
                }
            )
        if method == "apps.connections.open":
            if not token.startswith("xapp-"):
                return web.json_response({"ok": False, "error": "invalid_auth"})
            return web.json_response({"ok": True, "url": f"ws://127.0.0.1:{self.port}/link"})
        if method == "chat.postMessage":
            if params.get("channel") in self.not_in:
                return web.json_response({"ok": False, "error": "not_in_channel"})
            if self.refuse_after is not None and len(self.posts) >= self.refuse_after:
                return web.json_response({"ok": False, "error": "msg_blocks_too_long"})
            if self.ratelimit_next > 0:
                self.ratelimit_next -= 1
                return web.json_response(
                    {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
                )
            await self.record("posts", params)
            ts = self._posted(params)
            if self.hold_after is not None and len(self.posts) > self.hold_after:
                await self.released.wait()
            return web.json_response({"ok": True, "channel": params.get("channel"), "ts": ts})
        if method == "conversations.history":
            if self.history_error is not None:
                return web.json_response({"ok": False, "error": self.history_error})
            return web.json_response(self._history(params))
        return web.json_response({"ok": False, "error": "unknown_method"})

    def _posted(self, params: dict[str, Any]) -> str:
        """Adds a posted message to its channel's history; returns its ``ts``."""
        channel = self.history.setdefault(str(params.get("channel")), [])
        ts = f"{max(time.time(), float(channel[-1]['ts']) + 1e-6 if channel else 0):.6f}"
        message = {"type": "message", "ts": ts, "user": BOT_USER, "bot_id": "BBOT"}
        for key in ("text", "blocks", "metadata"):
            if key in params:
                message[key] = params[key]
        channel.append(message)
        return ts

    def _history(self, params: dict[str, Any]) -> dict[str, Any]:
        """conversations.history: newest first, after ``oldest``, ``limit`` a page."""
        oldest = float(params.get("oldest") or 0)
        messages = [m for m in self.history.get(params["channel"], []) if float(m["ts"]) > oldest]
        messages.reverse()
        if params.get("include_all_metadata") not in ("1", "true", True):
            messages = [{k: v for k, v in m.items() if k != "metadata"} for m in messages]
        start, limit = int(params.get("cursor") or 0), int(params.get("limit") or 100)
        page, rest = messages[start : start + limit], messages[start + limit :]
        cursor = str(start + limit) if rest else ""
        return {
            "ok": True,
            "messages": page,
            "has_more": bool(rest),
            "response_metadata": {"next_cursor": cursor},
        }

    async def _response(self, request: web.Request) -> web.Response:
        url = request.match_info["id"]
        self._uses[url] = self._uses.get(url, 0) + 1
        if self._uses[url] > RESPONSE_URL_USES:
            await self.record("refused", await request.json())
            return web.Response(status=404, text="used_url")
        await self.record("responses", {**await request.json(), "_url": url})
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(
            json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}})
        )
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                await self.record("acks", json.loads(message.data))
        return ws


def sign(body: str, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Slack's v0 request signature headers for ``body``."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}
