"""Hypothesis strategies for the formatter property tests: article, question and
digest text an attacker controls, made of mentions, links, markup and plain text.

Each platform's test checks the same three properties of whatever it renders:
never an exception, never over a platform limit, never a mention or link that
came from article or question text (only an article's own http(s) URL links).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from adapters.links import web_url
from bot.models import Answer, ArticleRef, Citation, Digest, KeyPoint, Story

#: Pieces of text that mean something to Slack, Discord or a terminal.
INJECTIONS = (
    "<@U123>",
    "<@U123|bob>",
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!subteam^S1>",
    "<#C1|news>",
    "@everyone",
    "@here",
    "@channel",
    "<@&42>",
    "<@!42>",
    "<#600>",
    "<t:1:R>",
    "</ask:1>",
    "<:e:1>",
    "<https://evil.example|click>",
    "<https://evil.example>",
    "[click](https://evil.example)",
    "https://evil.example/x",
    "http://evil.example",
    ")",
    "(",
    "](",
    "[",
    "]",
    "|",
    "||",
    "&",
    "&amp;",
    "&lt;",
    "<",
    ">",
    "*",
    "_",
    "~",
    "`",
    "```",
    "\\",
    "\n",
    "\n> ",
    "\n# ",
    "\n-# ",
    " ",
    "\u200b",
    "@",
    ":",
    "//",
    "\x1b[2J",
    "é",
    "\U0001f600",
)
#: URLs an article file might give: good ones, hostile ones and broken ones.
URLS = (
    "https://k.example/a?b=1&c=2",
    "javascript:alert(1)",
    "http://[x",
    "https://",
    "//evil.example",
    "ftp://x.example/",
    "https://x.example/a) @everyone [pwn](https://evil.example",
    "https://x.example/a|<!channel>> <@U1>",
    "HTTPS://X.example/a b",
    "https://x.example:abc/",
)

text = st.lists(st.one_of(st.sampled_from(INJECTIONS), st.text(max_size=12)), max_size=25).map(
    "".join
)
#: Sometimes very long: a file with no line breaks gives a runaway title or sentence.
long_text = st.one_of(
    text, st.builds(lambda piece, times: piece * times, text, st.integers(1, 300))
)
url = st.one_of(
    st.none(),
    st.sampled_from(URLS),
    text.map(lambda tail: "https://k.example/" + tail),
    text,
    st.integers(1, 4000).map(lambda n: "https://k.example/" + "p" * n),
)
refs = st.builds(
    ArticleRef,
    article_id=st.text(max_size=8),
    title=long_text,
    url=url,
    source=st.none() | long_text,
    published=st.none() | st.dates(date(1990, 1, 1), date(2030, 12, 31)),
    generated_title=st.booleans(),
)
citations = st.builds(Citation, refs, long_text)
answers = st.builds(
    Answer,
    question=text,
    answered=st.booleans(),
    text=text,  # the core's own sentence (or quotes, which arrive as citations)
    citations=st.lists(citations, max_size=4).map(tuple),
    related=st.lists(citations, max_size=4).map(tuple),
    confidence=st.floats(0, 1),
    searched_for=st.none() | text,
)
stories = st.builds(
    Story,
    headline=long_text,
    summary=long_text,
    entities=st.lists(text, max_size=30).map(tuple),
    articles=st.lists(refs, min_size=1, max_size=14).map(tuple),
    key_points=st.lists(st.builds(KeyPoint, text, long_text, st.integers(-1, 16)), max_size=8).map(
        tuple
    ),
)
NOW = datetime(2026, 2, 14, 8, tzinfo=UTC)
digests = st.builds(Digest, st.just(NOW), st.just(NOW), st.lists(stories, max_size=6).map(tuple))

#: How often the hostile digest repeats its text: a spread of lengths, so that the
#: platforms' cuts (titles, fields, sections, messages) land at many offsets inside the
#: mentions and links, and some pieces run far past every limit.
HOSTILE_REPEATS = (1, 3, 7, 19, 53, 131, 300)
_HOSTILE = "".join(INJECTIONS)


def hostile_digest() -> Digest:
    """A digest made of every injection and every URL, at every length of
    ``HOSTILE_REPEATS``: the explicit example each digest property always checks."""
    out = []
    for n, times in enumerate(HOSTILE_REPEATS):
        piece = _HOSTILE[n:] + _HOSTILE[:n]  # each story starts the sequence elsewhere
        articles = tuple(
            ArticleRef(str(i), piece * times, link, piece * (times // 2 + 1), None, i % 2 == 0)
            for i, link in enumerate((*URLS, None, "https://k.example/" + piece * times))
        )
        points = tuple(KeyPoint(piece, piece * times, i) for i in range(-1, len(articles) + 2))
        out.append(Story(piece * times, piece * times, (piece,) * 30, articles, points))
    return Digest(NOW, NOW, tuple(out))


#: Enough examples to find the rare cut that lands inside a link, not so many
#: that two shared cores stall (the strategies build long strings).
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: For the digest properties, whose generated digests are the slowest to build and
#: render: fewer random ones, because each test also always checks ``hostile_digest()``
#: (every injection and URL, cut at many offsets) under explicit ``@example``s.
DIGEST_PROPERTY = settings(PROPERTY, max_examples=50)


def links_of(articles: list[ArticleRef] | tuple[ArticleRef, ...]) -> set[str]:
    """The links a rendering may hold: the articles' own web URLs, made safe."""
    return {u for u in (web_url(a.url) for a in articles) if u}


def answer_refs(answer: Answer) -> list[ArticleRef]:
    return [c.article for c in (*answer.citations, *answer.related)]


def digest_refs(digest: Digest) -> list[ArticleRef]:
    return [ref for story in digest.stories for ref in story.articles]
