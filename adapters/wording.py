"""Wording shared by every adapter's formatter (plain text, no markup)."""

from __future__ import annotations

from bot.models import Digest


def digest_span(digest: Digest) -> str:
    """'for 2026-02-14', 'for 2026-02-01 to 2026-02-14' or 'since 2026-02-14 08:00 CET'."""
    if digest.days is not None:
        first, last = digest.days
        return f"for {first}" if first == last else f"for {first} to {last}"
    since = digest.since
    return f"since {since:%Y-%m-%d %H:%M} {since.tzname() or ''}".rstrip()


def plural(count: int, noun: str) -> str:
    """'1 story', '2 stories', '5 articles'."""
    if count == 1:
        return f"1 {noun}"
    return f"{count} {noun[:-1]}ies" if noun.endswith("y") else f"{count} {noun}s"
