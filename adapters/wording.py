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
    # "story" -> "stories", but a vowel before the y keeps it: "day" -> "days".
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return f"{count} {noun[:-1]}ies"
    return f"{count} {noun}s"
