"""Wording shared by every adapter (plain text, no markup): what a message that is
a command says, and the phrases every formatter uses."""

from __future__ import annotations

from collections.abc import Callable

from bot.models import Command, Digest, Help


def digest_span(digest: Digest) -> str:
    """'for 2026-02-14', 'for 2026-02-01 to 2026-02-14' or 'since 2026-02-14 08:00 CET'."""
    if digest.days is not None:
        first, last = digest.days
        return f"for {first}" if first == last else f"for {first} to {last}"
    since = digest.since
    return f"since {since:%Y-%m-%d %H:%M} {since.tzname() or ''}".rstrip()


#: What an article without a title is called (a chat message needs some text).
UNTITLED = "(untitled)"


def one_line(text: str, limit: int) -> str:
    """``text`` on one line (a line break would end a chat link), within ``limit``
    characters, ending with "…" when cut; ``UNTITLED`` when nothing is left."""
    line = " ".join(text.split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line or UNTITLED


def plural(count: int, noun: str) -> str:
    """'1 story', '2 stories', '5 articles'."""
    if count == 1:
        return f"1 {noun}"
    # "story" -> "stories", but a vowel before the y keeps it: "day" -> "days".
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return f"{count} {noun[:-1]}ies"
    return f"{count} {noun}s"


#: The reply to a question that finds the answer queue full (``adapters.workers``).
BUSY = (
    "I'm answering a lot of questions right now and can't take this one. "
    "Please try again in a minute."
)

#: A message that is one of these words and nothing else is a command, in every
#: adapter, never a question ("@teambot help" must not get an answer about help).
HELP = "help"
SOURCES = "sources"


def command_word(text: str) -> str | None:
    """``HELP`` or ``SOURCES`` when that word is the whole message; else ``None``.

    Case, a leading ``/`` and trailing ``?``, ``!`` or ``.`` are ignored: "Help?",
    "/sources" and "sources." are commands, "help me with Kling" is a question.
    """
    word = text.strip().rstrip("?!. ").lstrip("/").strip().lower()
    return word if word in (HELP, SOURCES) else None


def corpus_size(articles: int) -> str:
    """'I know 1 article.', 'I know 20,000 articles.' (a line of every help text)."""
    return f"I know {articles:,} article{'' if articles == 1 else 's'}."


#: The slash commands the chat platforms register besides ``/ask``, as their help
#: lists them; search is the console's alone.
CHAT_COMMANDS = ("digest", "sources")


def chat_help(info: Help, ask_line: str, usage: Callable[[Command], str]) -> str:
    """A chat platform's help, raw: what teambot is, how much it knows, how to ask
    (``ask_line``), then a line per slash command as ``usage`` writes it there."""
    lines = [info.about, "", corpus_size(info.articles), ask_line]
    for name in CHAT_COMMANDS:
        command = info.command(name)
        lines.append(f"• {usage(command)}: {command.summary}")
    lines.append("• help: this text")
    return "\n".join(lines)


def sources_heading(total: int, first: int, last: int) -> str:
    """'No articles.', '5 articles, newest first:' or, for one page of a longer
    list, '20,000 articles, newest first (21–40):' (``first``/``last`` count from 1)."""
    if total == 0:
        return "No articles."
    count = "1 article" if total == 1 else f"{total:,} articles"
    if first <= 1 and last >= total:
        return f"{count}, newest first:"
    return f"{count}, newest first ({first:,}–{last:,}):"
