"""Article URLs that may become links in a chat message. Pure functions.

An article's URL comes from its file, so it is as untrusted as its text. Only an
absolute ``http``/``https`` URL with a host becomes a link, and every character
that chat markup gives a meaning (the ``)`` that ends Discord's ``[title](url)``,
the ``|`` and ``>`` of Slack's ``<url|title>``, brackets, quotes, spaces and
control characters) is percent-encoded, so a URL can never close its link early
and plant text or links of its own.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

#: Characters a URL keeps as they are: RFC 3986's reserved and unreserved
#: characters less those chat markup uses (``( ) [ ] * |`` and ``< > ` \\``, which
#: RFC 3986 never allows unencoded), plus ``%`` so an encoded URL is not encoded twice.
#: ``@`` is kept only in the host part, where it ends the user name; in a path it
#: is encoded, so not even a link's target reads ``@everyone``.
_KEEP = ":/?#!$&'+,;=%-._~"
_SCHEMES = ("http", "https")


def web_url(url: str | None) -> str | None:
    """``url`` made safe to put inside a chat link, or ``None`` when it is not a web URL.

    Args:
        url: an article's URL, as its file gave it.

    Returns:
        The URL with markup characters percent-encoded; ``None`` for no URL, a
        scheme other than http(s), no host, or a URL that does not parse
        (``http://[x``, a port of ``abc``).
    """
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in _SCHEMES or not host:
        return None
    return urlunsplit(
        (
            parts.scheme,
            quote(parts.netloc, safe=_KEEP + "@"),
            quote(parts.path, safe=_KEEP),
            quote(parts.query, safe=_KEEP),
            quote(parts.fragment, safe=_KEEP),
        )
    )
