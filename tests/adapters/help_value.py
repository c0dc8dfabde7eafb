"""A ``Help`` unlike the core's own, so a test can tell rendered data from wording
an adapter kept for itself."""

from __future__ import annotations

from bot.models import Command, Help

ODD_HELP = Help(
    about="I read the newsletter & answer <questions>.",
    commands=(
        Command("ask", "an answer", "query text"),
        Command("search", "hits for a phrase", "phrase"),
        Command("sources", "the whole shelf"),
        Command("digest", "what came out", "day", optional=True, forms=("today", "DD.MM.")),
    ),
    articles=1234,
    example="who bought whom?",
)
