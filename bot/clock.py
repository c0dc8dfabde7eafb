"""The clock and time zones: the lowest floor of the core, so every layer may ask
the time or name a zone without reaching up to the layer that wires them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def zone_info(name: str) -> ZoneInfo:
    """The IANA time zone ``name``.

    Raises:
        ValueError: unknown name; the message says what is accepted.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r}: expected an IANA name such as UTC or Europe/Paris"
        ) from None
