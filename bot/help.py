"""What teambot can be asked, as data (``bot.models.Help``): each adapter renders it
in its own syntax, so the commands and what they do are said once, here."""

from __future__ import annotations

from bot.digest.window import DAY_FORMS
from bot.models import Command, Help

#: What teambot is, first in every adapter's help text.
ABOUT = (
    "I answer questions from the team's news articles: each answer quotes the "
    "sentences it comes from and links their sources, and when no article answers "
    "a question I say so instead of guessing."
)

#: A question the seed articles answer, shown as an example.
EXAMPLE = "how many parameters does RynnBrain have?"

COMMANDS = (
    Command("ask", "an answer quoted from the articles, with its sources", "question"),
    Command("search", "the best-matching articles, each with its best passage", "query"),
    Command("sources", "every article I know, newest first"),
    Command(
        "digest",
        "the stories new in the last 24 hours, or on that day",
        "date",
        optional=True,
        forms=DAY_FORMS,
    ),
)


def make_help(articles: int) -> Help:
    """The help for a corpus of ``articles`` articles."""
    return Help(about=ABOUT, commands=COMMANDS, articles=articles, example=EXAMPLE)
