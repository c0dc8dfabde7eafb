"""A console line in, a ``Request`` value out: a pure function, no I/O."""

from __future__ import annotations

from adapters.requests import Request
from adapters.wording import command_word

SEARCH_USAGE = "Usage: /search QUERY, e.g. /search Kling 3.0"
UNKNOWN = "Unknown command {command}. Commands: /search, /sources, /digest, /help, /quit."


def to_request(line: str) -> Request:
    """What a line typed at the console asks for.

    A line is a question unless it starts with ``/`` (a command), or is ``help``
    or ``sources`` alone (``command_word``). A command typed wrong is a ``usage``
    request whose text says what to type instead.
    """
    line = line.strip()
    if word := command_word(line):
        line = f"/{word}"
    if not line.startswith("/"):
        return Request("ask", text=line)
    command, _, rest = line.partition(" ")
    command = command.lower()
    if command in ("/quit", "/exit", "/q"):
        return Request("quit")
    if command == "/help":
        return Request("help")
    if command == "/sources":
        return Request("sources")
    if command == "/digest":
        return Request("digest", day=rest.strip() or None)
    if command == "/search":
        if not rest.strip():
            return Request("usage", text=SEARCH_USAGE)
        return Request("search", text=rest)
    return Request("usage", text=UNKNOWN.format(command=command))
