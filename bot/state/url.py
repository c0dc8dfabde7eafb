"""State URLs: which store a URL names, checking a PostgreSQL URL, and keeping its password out
of every message and log line.

A PostgreSQL URL is read the way libpq reads it, but its password is taken to end at the
*last* ``@``: a password holding ``#`` or ``?`` still ends there for libpq too, while one
holding ``/`` or ``@`` does not (libpq then takes part of the password for the host, port or
database, and its error messages would show that part). Those URLs are refused with a
message saying how to percent-encode them, so what is redacted is what libpq reads.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
SQLITE_SCHEME = "sqlite:///"
MASK = "***"
#: Shorter "passwords" are not masked inside other text: masking every "ab" in a message
#: would garble it, and a password of three characters protects nothing anyway.
MIN_SECRET = 4
_PASSWORD_PARAMETER = re.compile(r"(?i)([?&]password=)([^&]*)")


def is_postgres(url: str | None) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``) URL: state shared by replicas."""
    return bool(url) and str(url).startswith(POSTGRES_SCHEMES)


def check_postgres_url(url: str) -> None:
    """Refuses a PostgreSQL URL libpq would misread; the message never shows the password.

    Raises:
        ValueError: a ``/`` or ``@`` in the user name or password, or a port that is not
            a number from 1 to 65535.
    """
    _, userinfo, hosts = _split(url)
    if userinfo is not None and ("/" in userinfo or "@" in userinfo):
        raise ValueError(
            "the user name or password holds '/' or '@': percent-encode them "
            "('/' as %2F, '@' as %40), e.g. postgresql://user:pa%2Fss@host/db"
        )
    for host in hosts.split(","):
        port = host.rpartition("]")[2].rpartition(":")[2] if ":" in host else ""
        if port and not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
            raise ValueError(f"the port {port[:20]!r} is not a number from 1 to 65535")


def redact(url: str) -> str:
    """``url`` with its password (in the user info or a ``password=`` parameter) as ``***``."""
    if not is_postgres(url):
        return url
    scheme, userinfo, _ = _split(url)
    rest = url[len(scheme) :]
    if userinfo is not None and ":" in userinfo:
        user = userinfo.partition(":")[0]
        rest = f"{user}:{MASK}@" + rest[len(userinfo) + 1 :]
    return scheme + _PASSWORD_PARAMETER.sub(rf"\g<1>{MASK}", rest)


def secrets(url: str) -> list[str]:
    """Every form of ``url``'s password that a message could show: raw and percent-decoded."""
    if not is_postgres(url):
        return []
    _, userinfo, _ = _split(url)
    raw = [m.group(2) for m in _PASSWORD_PARAMETER.finditer(url)]
    if userinfo is not None and ":" in userinfo:
        raw.append(userinfo.partition(":")[2])
    found = {form for value in raw for form in (value, unquote(value))}
    # Longest first, so a password that contains another is masked whole.
    return sorted((s for s in found if len(s) >= MIN_SECRET), key=len, reverse=True)


def scrub(text: str, url: str) -> str:
    """``text`` with ``url`` shown redacted and any form of its password masked."""
    if not is_postgres(url):
        return text
    text = text.replace(url, redact(url))
    for secret in secrets(url):
        text = text.replace(secret, MASK)
    return text


class Scrubber(logging.Filter):
    """Masks a state URL's password in every record that passes through (message, arguments
    and traceback), whoever logged it."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self._url = url

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = scrub(message, self._url)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            record.exc_text = scrub(text, self._url)
        return True


def _split(url: str) -> tuple[str, str | None, str]:
    """The scheme, the user info (up to the last ``@``; ``None`` without one) and the hosts."""
    scheme = next(s for s in (*POSTGRES_SCHEMES, "") if url.startswith(s))
    rest = url[len(scheme) :]
    head, at, after = rest.rpartition("@")  # no "@": head and at are empty, after is rest
    hosts = re.split(r"[/?]", after, maxsplit=1)[0]
    return scheme, head if at else None, hosts
