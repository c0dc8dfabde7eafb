"""A fake Discord on 127.0.0.1: the REST routes teambot uses and a gateway websocket
(HELLO, IDENTIFY, READY, GUILD_CREATE, dispatches, heartbeats and their ACKs, and a
forced reconnect answered by RESUME/RESUMED)."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Mapping
from typing import Any

from aiohttp import WSMsgType, web

from tests.discord.payloads import (  # noqa: F401 - re-exported for the tests
    APP_ID,
    ASKER,
    BAD_TOKEN,
    BOT,
    CHANNEL,
    DM,
    GUILD,
    OTHER_BOT,
    STAMP,
    THREAD,
    channel_payload,
    component_payload,
    interaction_payload,
    message_payload,
)
from tests.loop import Recording, start_site

DISCORD_EPOCH_MS = 1420070400000  # the first second of 2015: where snowflakes count from
NONCE_SECONDS = 120.0  # Discord: a nonce is enforced "in the past few minutes"


class FakeDiscord(Recording):
    """Records REST calls and gateway traffic; tests dispatch events through it.

    Channel messages get snowflake ids from the time they are created and make up
    the channel's ``history`` (Get Channel Messages, with ``after``, ``before`` and
    ``limit``); ``history_error`` makes reading it fail with that HTTP status. A
    message sent with a nonce and ``enforce_nonce`` repeats of one sent in the last
    ``nonce_seconds`` answers with that message, as Discord does. ``refuse_after``
    refuses channel messages (403, Missing Permissions) once that many were accepted.
    """

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, str, Any]] = []
        self.messages: list[dict[str, Any]] = []  # channel messages, replies and follow-ups
        self.callbacks: list[dict[str, Any]] = []  # interaction callbacks (defers)
        self.commands: list[Any] = []
        self.identifies = 0
        self.resumes: list[dict[str, Any]] = []
        self.heartbeats = 0
        self.port = 0
        self._seq = 0
        self._ids = itertools.count(1000)
        self._socket: web.WebSocketResponse | None = None
        self._runner: web.AppRunner | None = None
        self.connected = asyncio.Event()
        self.history: dict[str, list[dict[str, Any]]] = {}  # by channel, oldest first
        self.history_error: int | None = None
        self.refuse_after: int | None = None
        self.nonce_seconds = NONCE_SECONDS
        self._last_id = 0

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        app = web.Application()
        app.add_routes(
            [web.route("*", "/api/v10/{path:.*}", self._rest), web.get("/gateway", self._gateway)]
        )
        self._runner, self.port = await start_site(app)

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._runner:
            await self._runner.cleanup()

    async def dispatch(self, event: str, data: dict[str, Any], *, seq: int | None = None) -> int:
        """Sends a DISPATCH; ``seq`` replays an old sequence number (as after a RESUME)."""
        await asyncio.wait_for(self.connected.wait(), 20)
        if seq is None:
            self._seq += 1
            seq = self._seq
        assert self._socket is not None
        await self._socket.send_str(json.dumps({"op": 0, "t": event, "s": seq, "d": data}))
        return seq

    async def force_reconnect(self) -> None:
        """Opcode 7: the client must reconnect and RESUME."""
        self.connected.clear()
        assert self._socket is not None
        await self._socket.send_str(json.dumps({"op": 7, "d": None}))

    def _json(self, data: Any, status: int = 200) -> web.Response:
        # discord.py parses JSON only when Content-Type is exactly application/json.
        return web.Response(
            body=json.dumps(data).encode(),
            status=status,
            headers={"Content-Type": "application/json"},
        )

    async def _rest(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            if request.content_type == "application/json" and raw:
                body = json.loads(raw)
            elif request.content_type.startswith("multipart/"):
                form = await request.post()
                body = json.loads(str(form.get("payload_json", "{}")))
        self.calls.append((request.method, path, body))
        token = request.headers.get("Authorization", "").removeprefix("Bot ")
        if token == BAD_TOKEN:
            return self._json({"message": "401: Unauthorized", "code": 0}, status=401)
        if path == "users/@me":
            return self._json(BOT)
        if path == "oauth2/applications/@me":
            return self._json(
                {
                    "id": APP_ID,
                    "name": "teambot",
                    "icon": None,
                    "description": "",
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "owner": ASKER,
                    "verify_key": "00",
                    "flags": 0,
                    "team": None,
                }
            )
        if path == "gateway/bot":
            return self._json(
                {
                    "url": self.gateway_url,
                    "shards": 1,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 1000,
                        "reset_after": 0,
                        "max_concurrency": 1,
                    },
                }
            )
        if request.method == "PUT" and path.endswith("/commands"):
            await self.record("commands", body)
            return self._json(
                [
                    {
                        **c,
                        "id": str(next(self._ids)),
                        "application_id": APP_ID,
                        "version": "1",
                        "type": c.get("type", 1),
                        "default_member_permissions": None,
                        "dm_permission": True,
                        "nsfw": False,
                    }
                    for c in body
                ]
            )
        if path.startswith("interactions/") and path.endswith("/callback"):
            await self.record("callbacks", body)
            interaction_id = path.split("/")[1]
            return self._json(
                {
                    "interaction": {
                        "id": interaction_id,
                        "type": 2,
                        "response_message_loading": True,
                        "response_message_ephemeral": False,
                    },
                    "resource": {"type": body.get("type", 5)},
                }
            )
        if request.method == "GET" and path.startswith("channels/") and path.endswith("/messages"):
            if self.history_error is not None:
                return self._json({"message": "Missing Access", "code": 50001}, self.history_error)
            return self._json(self._history(path.split("/")[1], request.query))
        if request.method == "POST" and (path.startswith(("channels/", "webhooks/"))):
            channel = path.split("/")[1] if path.startswith("channels/") else CHANNEL
            if self.refuse_after is not None and len(self.messages) >= self.refuse_after:
                return self._json({"message": "Missing Permissions", "code": 50013}, 403)
            repeated = self._same_nonce(channel, body or {})
            if repeated is not None:
                return self._json(repeated)
            await self.record("messages", {"path": path, **(body or {})})
            payload = message_payload(
                self._message_id(), channel, BOT, (body or {}).get("content") or ""
            )
            self._add_to_history(channel, payload, body or {})
            return self._json(payload)
        return self._json({"message": "404: Not Found", "code": 0}, status=404)

    def _message_id(self) -> str:
        """A snowflake from the current time, larger than every earlier one."""
        stamp = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last_id = max(stamp, self._last_id + 1)
        return str(self._last_id)

    def _add_to_history(self, channel: str, payload: dict[str, Any], body: Any) -> None:
        stored = {**payload, "embeds": body.get("embeds") or [], "_sent": time.time()}
        if body.get("nonce") is not None:
            stored["nonce"] = body["nonce"]
        self.history.setdefault(channel, []).append(stored)

    def _same_nonce(self, channel: str, body: Mapping[str, Any]) -> dict[str, Any] | None:
        """The message a nonce with ``enforce_nonce`` repeats, sent within the last minutes."""
        if body.get("nonce") is None or not body.get("enforce_nonce"):
            return None
        for message in self.history.get(channel, []):
            recent = time.time() - message["_sent"] < self.nonce_seconds
            if recent and message.get("nonce") == body["nonce"]:
                return {k: v for k, v in message.items() if k != "_sent"}
        return None

    def _history(self, channel: str, query: Mapping[str, str]) -> list[dict[str, Any]]:
        """Get Channel Messages: at most ``limit``, newest first; with ``after``, the
        ones just after it."""
        after, before = int(query.get("after", 0)), int(query.get("before", 0) or 2**64)
        messages = [
            {k: v for k, v in m.items() if k != "_sent"}
            for m in self.history.get(channel, [])
            if after < int(m["id"]) < before
        ]
        limit = int(query.get("limit", 50))
        chosen = messages[:limit] if "after" in query else messages[-limit:]
        return chosen[::-1]

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._socket = ws
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}}))
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            packet = json.loads(message.data)
            op = packet.get("op")
            if op == 1:
                self.heartbeats += 1
                await ws.send_str(json.dumps({"op": 11}))
            elif op == 2:
                self.identifies += 1
                await self._ready(ws)
            elif op == 6:
                await self.record("resumes", packet["d"])
                self._seq += 1
                await ws.send_str(json.dumps({"op": 0, "t": "RESUMED", "s": self._seq, "d": {}}))
                self.connected.set()
        return ws

    async def _ready(self, ws: web.WebSocketResponse) -> None:
        self._seq += 1
        await ws.send_str(
            json.dumps(
                {
                    "op": 0,
                    "t": "READY",
                    "s": self._seq,
                    "d": {
                        "v": 10,
                        "user": BOT,
                        "guilds": [{"id": GUILD, "unavailable": True}],
                        "session_id": "session-1",
                        "resume_gateway_url": self.gateway_url,
                        "shard": [0, 1],
                        "application": {"id": APP_ID, "flags": 0},
                        "private_channels": [],
                        "relationships": [],
                    },
                }
            )
        )
        self._seq += 1
        thread = channel_payload(
            THREAD,
            "kling-thread",
            11,
            parent_id=CHANNEL,
            owner_id=ASKER["id"],
            message_count=0,
            member_count=1,
            thread_metadata={
                "archived": False,
                "auto_archive_duration": 60,
                "archive_timestamp": STAMP,
                "locked": False,
            },
        )
        await ws.send_str(
            json.dumps(
                {
                    "op": 0,
                    "t": "GUILD_CREATE",
                    "s": self._seq,
                    "d": {
                        "id": GUILD,
                        "name": "Test Server",
                        "icon": None,
                        "owner_id": ASKER["id"],
                        "roles": [
                            {
                                "id": GUILD,
                                "name": "@everyone",
                                "permissions": "1024",
                                "position": 0,
                                "color": 0,
                                "hoist": False,
                                "managed": False,
                                "mentionable": False,
                                "flags": 0,
                            }
                        ],
                        "emojis": [],
                        "stickers": [],
                        "features": [],
                        "channels": [channel_payload(CHANNEL, "news")],
                        "threads": [thread],
                        "members": [],
                        "member_count": 2,
                        "large": False,
                        "unavailable": False,
                        "voice_states": [],
                        "presences": [],
                        "stage_instances": [],
                        "guild_scheduled_events": [],
                        "soundboard_sounds": [],
                        "joined_at": STAMP,
                        "premium_tier": 0,
                        "mfa_level": 0,
                        "verification_level": 0,
                        "explicit_content_filter": 0,
                        "default_message_notifications": 0,
                        "system_channel_flags": 0,
                        "preferred_locale": "en-US",
                        "nsfw_level": 0,
                    },
                }
            )
        )
        self.connected.set()
