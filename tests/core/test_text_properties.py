"""Properties of the corpus parser, tokenizer and sentence splitter on any text.

Never an exception, and outputs with the shape the index relies on. The markup
scanners are also checked against the regular expressions they replaced, which
are their specification (and fast enough on short text).
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.corpus.loader import load_corpus
from bot.corpus.parse import parse_article
from bot.models import Article
from bot.text import markup
from bot.text.sentences import split_sentences
from bot.text.tokenize import Tokenizer

PROFILE = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI never meets a new one
    suppress_health_check=[HealthCheck.too_slow],
)

# Pieces of what articles and attacks are made of, so that short random text
# meets markup, dates, URLs and abbreviations far more often than st.text() does.
PIECES = st.sampled_from(
    list("!*_[]()<>#-.:,;|\\/'\"“”’ \n\t\u00a0…?") + [
        "a", "A", "Kling", "GLM-5", "M2.5", "15s", "1,000", "http://", "https://",
        "http://[x", "x.com", "Mr.", "U.S.", "Dr. ", "It ", "the ", "iFlytek", "---\n",
        "Jan 5, 2026", "2026-02-30", "(Source: ", "By ", " — ", "Getty Images",
        "watch now", "**", "__", "![", "](", "<b>", "# ", "1. ", "\n\n",
    ]
)  # fmt: skip
TEXT = st.one_of(st.text(), st.lists(PIECES, max_size=60).map("".join))
META_VALUES = st.one_of(
    st.none(),
    TEXT,
    st.integers(),
    st.floats(),
    st.dates(),
    st.booleans(),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)
META = st.dictionaries(
    st.sampled_from(["title", "url", "link", "source", "published", "date"]), META_VALUES
)


@PROFILE
@given(body=TEXT, meta=META)
def test_parse_article_never_raises_and_gives_a_well_formed_article(
    body: str, meta: dict[str, object]
) -> None:
    warnings: list[str] = []
    article = parse_article("x", body, meta, warn=warnings.append)
    assert all(isinstance(w, str) and w for w in warnings)
    if article is None:
        return
    _assert_well_formed(article)


@settings(PROFILE, max_examples=100)
@given(
    content=st.one_of(st.binary(max_size=300), TEXT.map(str.encode)),
    front=TEXT.map(lambda text: text.replace("\x00", "")),  # NUL: a binary file, skipped
)
def test_load_corpus_loads_the_good_file_beside_any_other(content: bytes, front: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "good.txt").write_text("Kling Ships\n\nKuaishou shipped Kling 3.0.\n")
        (root / "any.txt").write_bytes(content)
        (root / "front.md").write_text(f"---\n{front}\n---\nKuaishou shipped Kling 3.0.\n")
        (root / "feed.jsonl").write_bytes(content + b"\n" + json.dumps({"text": front}).encode())
        loaded = load_corpus(root)
    ids = [a.id for a in loaded.articles]
    assert "good" in ids and "front" in ids
    for article in loaded.articles:
        _assert_well_formed(article)
    names = {"any.txt", "front.md", "feed.jsonl"}
    assert all(Path(w.path.split(":")[0]).name in names for w in loaded.warnings)


tokenizer = Tokenizer()


@PROFILE
@given(TEXT)
def test_tokenizer_gives_whole_terms_for_any_text(text: str) -> None:
    terms = tokenizer(text)
    assert all(term and not any(c.isspace() for c in term) for term in terms)
    assert all(term == term.casefold() for term in terms)
    assert [term for group in tokenizer.groups(text) for term in group] == terms


@PROFILE
@given(TEXT)
def test_sentences_cover_the_text_and_split_again_the_same(text: str) -> None:
    sentences = split_sentences(text)
    assert all(s and s == s.strip() for s in sentences)
    # Only the spaces between sentences are dropped, nothing else.
    assert "".join("".join(s.split()) for s in sentences) == "".join(text.split())
    assert split_sentences(" ".join(sentences)) == sentences


# The patterns the scanners replaced: quadratic on long text, exact on short.
MARKUP = st.lists(
    st.sampled_from(list("![]()*_<>/ \na.:\t1é") + ["http://", "https://", "**", "__", "A"]),
    max_size=30,
).map("".join)
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)[^)]*\)")
AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\3(?![\w*])")


@settings(PROFILE, max_examples=600)
@given(MARKUP)
def test_markup_scanners_do_what_their_patterns_did(line: str) -> None:
    assert markup.remove_images(line) == IMAGE.sub("", line)
    links: list[str] = []
    assert markup.replace_links(line, links) == LINK.sub(r"\1", line)
    assert links == [m.group(2) for m in LINK.finditer(line)]
    assert markup.unwrap_autolinks(line) == AUTOLINK.sub(r"\1", line)
    assert markup.remove_tags(line) == TAG.sub("", line)
    assert markup.unwrap_emphasis(line) == EMPHASIS.sub(lambda m: m.group(2) or m.group(4), line)


def _assert_well_formed(article: Article) -> None:
    assert article.title and article.sections
    for section in article.sections:
        assert section.paragraphs
        assert all(p and p == p.strip() for p in section.paragraphs)
    if article.url is not None:
        _ = urlsplit(article.url).port  # parses: a malformed URL was dropped
    assert article.published is None or isinstance(article.published, date)
    assert all(isinstance(link, str) for link in article.links)
