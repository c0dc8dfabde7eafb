"""Metadata from front matter and heuristics, on all five seeds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.corpus.loader import load_corpus
from bot.models import Article
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    loaded = load_corpus(SEEDS)
    assert loaded.warnings == ()
    return {a.id[:3]: a for a in loaded.articles}


def test_seed_000_uses_front_matter(seeds: dict[str, Article]) -> None:
    a = seeds["000"]
    assert a.id == "000_09cf094f17e455b4"
    assert a.title.startswith("It's been a big — but rocky — week for AI models from China")
    assert a.url == (
        "https://www.cnbc.com/2026/02/14/new-china-ai-models-alibaba-bytedance-seedance-kuaishou-kling.html"
    )
    assert a.published == date(2026, 2, 14)
    assert a.source == "cnbc.com"  # "Unknown" in the front matter: the URL tells


def test_seed_000_body_is_clean(seeds: dict[str, Article]) -> None:
    text = seeds["000"].text
    for furniture in (
        "watch now",
        "![",
        "](http",
        "Getty Images",
        "Stock chart icon",
        "July 5, 2024",
    ):
        assert furniture not in text
    assert "Alibaba's RynnBrain" in [s.heading for s in seeds["000"].sections]
    assert "https://www.cnbc.com/2026/02/10/alibaba-ai-model-robotics-rynnbrain-china.html" in (
        seeds["000"].links
    )


def test_seed_001_without_title_line_gets_a_short_readable_title(seeds: dict[str, Article]) -> None:
    a = seeds["001"]
    assert len(a.title) <= 60
    assert not a.text.startswith(a.title)
    assert "For years" not in a.title
    assert any(name in a.title for name in ("Alibaba", "ByteDance", "Kuaishou", "RynnBrain"))
    assert a.published is None and a.source is None and a.url is None


def test_seed_002_title_dateline_and_newsletter_source(seeds: dict[str, Article]) -> None:
    a = seeds["002"]
    assert a.title == "China's Spring Festival AI Blitz: From Robots to Video to Open Source"
    assert a.published == date(2026, 2, 14)
    assert a.source == "The Bit Baker newsletter"
    assert "From The Bit Baker newsletter" not in a.text
    assert "References" not in [s.heading for s in a.sections]
    assert "SCMP -- Alibaba Unveils RynnBrain" not in a.text


def test_seed_003_source_line_and_repeated_body_indexed_once(seeds: dict[str, Article]) -> None:
    a = seeds["003"]
    assert a.source == "longbridge.com"
    assert a.published is None
    assert "(Source:" not in a.text
    paragraphs = [p for s in a.sections for p in s.paragraphs]
    assert len(paragraphs) == len(set(paragraphs))
    assert sum("Seedance briefly suspended" in p for p in paragraphs) == 1
    assert not a.text.startswith(a.title)


def test_seed_004_short_first_line_title_and_abbreviated_date(seeds: dict[str, Article]) -> None:
    a = seeds["004"]
    assert a.title == "Chinese AI Surge: New Models from Alibaba to Moonshot in 2026"
    assert a.published == date(2026, 1, 28)
    for furniture in ("6 min read", "3 views", "Word count", "?>", "Related Articles"):
        assert furniture not in a.text


def test_markdown_h1_title_and_iso_date(tmp_path: Path) -> None:
    (tmp_path / "note.md").write_text(
        "# Kling 4.0 Ships\n\n2026-03-01\n\nhttps://example.com/kling4\n\n"
        "Kuaishou shipped Kling 4.0 today.\n"
    )
    (a,) = load_corpus(tmp_path).articles
    assert (a.title, a.published, a.url, a.source) == (
        "Kling 4.0 Ships",
        date(2026, 3, 1),
        "https://example.com/kling4",
        "example.com",
    )
    assert a.text == "Kuaishou shipped Kling 4.0 today."
