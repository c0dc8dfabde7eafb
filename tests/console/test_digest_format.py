"""The digest in the terminal: stories in full, key points with their sources,
one line for the rest, JSON with key points; TEAMBOT_DIGEST_STORIES honoured."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.console import format as fmt
from adapters.console.session import ConsoleSession
from bot.digest.window import between
from bot.service import TeamBot
from tests.big_digest import big_digest, use_big_digests
from tests.cli.test_cli import run
from tests.unrelated_corpus import DAY, write_unrelated_corpus

NOW = datetime(2026, 2, 14, 8, tzinfo=UTC)


def test_text_shows_the_first_stories_in_full_and_one_line_for_the_rest() -> None:
    text = fmt.digest_text(big_digest(between(NOW, NOW), stories=40), full=3)
    assert text.startswith("Digest since 2026-02-14 08:00 UTC: 40 stories\n\n1. Story 1")
    assert text.count("Sources (30):") == 3
    one_liners = re.findall(r"(?m)^(\d+)\. Story \d+ .*\(30 sources\)$", text)
    assert one_liners == [str(n) for n in range(4, 41)]  # every other story, in order
    assert "more stories" not in text  # a terminal has no message limit: nothing cut


def test_key_points_cite_the_numbers_of_the_source_list() -> None:
    text = fmt.digest_text(big_digest(between(NOW, NOW), stories=1), full=1)
    story = text.split("Key points:")[1]
    points = re.findall(r"- (Product\d) of story 1 .*\[(\d+)\]", story)
    assert points == [
        ("Product1", "1"),
        ("Product2", "2"),
        ("Product3", "17"),
        ("Product4", "30"),
        ("Product5", "5"),
    ]
    assert "Product6" not in text  # five at most
    assert "[17] Article 17 about story 1" in text and "[30] Article 30 about story 1" in text
    assert "[11] Article 11" not in text and "…and 18 more sources" in text


def test_json_keeps_every_story_complete_and_adds_key_points() -> None:
    obj = json.loads(fmt.digest_json(big_digest(between(NOW, NOW), stories=12)))
    assert len(obj["stories"]) == 12
    last = obj["stories"][-1]
    assert list(last) == ["headline", "summary", "entities", "articles", "key_points"]
    assert len(last["articles"]) == 30 and len(last["key_points"]) == 6
    assert last["key_points"][2] == {
        "name": "Product3",
        "text": "Product3 of story 12 shipped release 3 <today>.",
        "source": 17,
    }


def test_session_digest_uses_its_story_count(
    seeds_bot: TeamBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_big_digests(monkeypatch, stories=5)
    out = ConsoleSession(seeds_bot, digest_stories=0).ask("/digest")
    assert "Sources (" not in out
    assert re.findall(r"(?m)^(\d)\. Story", out) == ["1", "2", "3", "4", "5"]


def test_teambot_digest_honours_the_setting(tmp_path: Path) -> None:
    corpus = str(write_unrelated_corpus(tmp_path / "corpus"))
    data = tmp_path / "data"
    stories = json.loads(
        run("digest", "--date", DAY, "--json", "--corpus", corpus, data_dir=data).stdout
    )["stories"]
    assert len(stories) >= 2
    out = run(
        "digest", "--date", DAY, "--corpus", corpus, data_dir=data, TEAMBOT_DIGEST_STORIES="1"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("Sources (") == 1
    brief = re.findall(r"(?m)^(\d)\. .*\(1 source\)$", out.stdout)
    assert brief == [str(n) for n in range(2, len(stories) + 1)]
    bad = run(
        "digest", "--date", DAY, "--corpus", corpus, data_dir=data, TEAMBOT_DIGEST_STORIES="lots"
    )
    assert bad.returncode == 2 and "TEAMBOT_DIGEST_STORIES" in bad.stderr
    assert "expected a whole number of stories from 0 to 50, got 'lots'" in bad.stderr
    assert "Traceback" not in bad.stderr
