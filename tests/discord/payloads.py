"""Discord payloads for the fake: the test server's ids, users, channels and messages."""

from __future__ import annotations

from typing import Any

BAD_TOKEN = "rejected.discord.token.000"
APP_ID = "900"
BOT = {
    "id": "100",
    "username": "teambot",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
}
ASKER = {"id": "200", "username": "ann", "discriminator": "0", "global_name": "Ann", "avatar": None}
OTHER_BOT = {"id": "300", "username": "otherbot", "discriminator": "0", "avatar": None, "bot": True}
GUILD = "500"
CHANNEL = "600"
THREAD = "601"
DM = "700"
STAMP = "2026-02-14T08:00:00.000000+00:00"


def channel_payload(id_: str, name: str, type_: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "id": id_,
        "type": type_,
        "name": name,
        "position": 0,
        "guild_id": GUILD,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        **extra,
    }


def message_payload(
    id_: str,
    channel: str,
    author: dict[str, Any],
    content: str,
    *,
    guild: bool = True,
    mentions: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    data = {
        "id": id_,
        "channel_id": channel,
        "author": author,
        "content": content,
        "timestamp": STAMP,
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": mentions or [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
        "flags": 0,
        "components": [],
        **extra,
    }
    if guild:
        data["guild_id"] = GUILD
        data["member"] = {"roles": [], "joined_at": STAMP, "deaf": False, "mute": False, "flags": 0}
    return data


def interaction_payload(id_: str, name: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    """An application-command interaction in the test server's channel."""
    return {
        "id": id_,
        "application_id": APP_ID,
        "type": 2,
        "token": f"tok-{id_}",
        "version": 1,
        "data": {"id": "1", "name": name, "type": 1, "options": options},
        "guild_id": GUILD,
        "channel_id": CHANNEL,
        "channel": {
            "id": CHANNEL,
            "type": 0,
            "guild_id": GUILD,
            "name": "news",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
        },
        "member": {
            "user": ASKER,
            "roles": [],
            "joined_at": STAMP,
            "deaf": False,
            "mute": False,
            "permissions": "2147483647",
            "flags": 0,
        },
        "app_permissions": "2147483647",
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD},
        "context": 0,
        "attachment_size_limit": 8388608,
    }


def component_payload(
    id_: str, custom_id: str, message: dict[str, Any], *, channel: str = CHANNEL
) -> dict[str, Any]:
    """A button press (a message-component interaction) on ``message`` in the test server."""
    data = interaction_payload(id_, "", [])
    data.update(
        {
            "type": 3,
            "data": {"custom_id": custom_id, "component_type": 2},
            "channel_id": channel,
            "message": message,
        }
    )
    return data
