"""Loading a corpus survives every kind of bad file with one warning naming it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.corpus.loader import load_corpus
from bot.errors import CorpusError

GOOD = "Kling Ships\n\nKuaishou shipped Kling 3.0 with 15s clips.\n"


def _warnings_for(tmp_path: Path) -> dict[str, str]:
    loaded = load_corpus(tmp_path)
    return {Path(w.path.split(":")[0]).name: w.message for w in loaded.warnings}


def test_binary_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    loaded = load_corpus(tmp_path)
    assert [a.id for a in loaded.articles] == ["good"]
    assert _warnings_for(tmp_path) == {"image.txt": "binary content, not text; skipped"}


def test_invalid_utf8_is_loaded_with_replacement_characters(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes(
        "Caf\xe9 News\n\nThe caf\xe9 launched Kling.".encode("latin-1")
    )
    loaded = load_corpus(tmp_path)
    assert loaded.articles[0].text == "The caf\ufffd launched Kling."
    assert "not valid UTF-8" in _warnings_for(tmp_path)["latin.txt"]


def test_empty_and_blank_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blank.md").write_text("  \n\n\t\n")
    (tmp_path / "furniture.txt").write_text("watch now\n\n6 min read\n")
    assert _warnings_for(tmp_path) == {
        "empty.txt": "empty file; skipped",
        "blank.md": "empty file; skipped",
        "furniture.txt": "no article text after cleaning; skipped",
    }


def test_unreadable_file_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing-target.txt")
    loaded = load_corpus(tmp_path)
    assert [a.id for a in loaded.articles] == ["good"]
    assert "cannot be read" in _warnings_for(tmp_path)["dangling.txt"]


def test_broken_front_matter_keeps_the_text(tmp_path: Path) -> None:
    (tmp_path / "broken.md").write_text("---\ntitle: [unclosed\n---\nKuaishou shipped Kling 3.0.\n")
    (tmp_path / "unclosed.md").write_text("---\ntitle: Never closed\nBody about GLM-5.\n")
    (tmp_path / "list.md").write_text("---\n- a\n- b\n---\nBody about M2.5.\n")
    loaded = load_corpus(tmp_path)
    texts = {a.id: a.text for a in loaded.articles}
    assert texts["broken"] == "Kuaishou shipped Kling 3.0."
    assert "Body about GLM-5." in texts["unclosed"]
    assert texts["list"] == "Body about M2.5."
    warnings = _warnings_for(tmp_path)
    assert warnings["broken.md"].startswith("broken front matter at line 2")
    assert "not closed" in warnings["unclosed.md"]
    assert "not a mapping" in warnings["list.md"]


def test_directory_is_loaded_recursively_and_hidden_files_skipped(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.md").write_text(GOOD)
    (tmp_path / ".hidden.txt").write_text(GOOD)
    (tmp_path / ".teambot").mkdir()
    (tmp_path / ".teambot" / "x.txt").write_text(GOOD)
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    assert [a.id for a in load_corpus(tmp_path).articles] == ["deep"]


def test_single_file_corpus(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text(GOOD)
    assert [a.id for a in load_corpus(path).articles] == ["one"]


def test_jsonl_articles_with_id_or_underscore_id(tmp_path: Path) -> None:
    rows = [
        {
            "id": "k1",
            "title": "Kling",
            "text": "Kling 3.0 makes 15s clips.",
            "published": "2026-02-07",
        },
        {"_id": "g5", "text": "Zhipu released GLM-5.", "url": "https://zhipu.example/glm5"},
        {"text": "No id here about M2.5."},
    ]
    lines = [json.dumps(r) for r in rows] + ["{not json", "[1, 2]", '{"id": "x", "text": ""}', ""]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines))
    loaded = load_corpus(tmp_path)
    by_id = {a.id: a for a in loaded.articles}
    assert set(by_id) == {"k1", "g5", "feed-3"}
    assert by_id["k1"].title == "Kling" and str(by_id["k1"].published) == "2026-02-07"
    assert by_id["g5"].source == "zhipu.example"
    messages = [(w.path.rsplit(":", 1)[1], w.message) for w in loaded.warnings]
    assert messages == [
        ("3", "no 'id' or '_id'; using 'feed-3'"),
        ("4", "invalid JSON (Expecting property name enclosed in double quotes); line skipped"),
        ("5", "not a JSON object; line skipped"),
        ("6", "no 'text' field; line skipped"),
    ]


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "same.txt").write_text(GOOD)
    (tmp_path / "b" / "same.txt").write_text("Other\n\nOther text about GLM-5.")
    loaded = load_corpus(tmp_path)
    assert len(loaded.articles) == 1 and "Kling" in loaded.articles[0].text
    assert "duplicate article id 'same'" in loaded.warnings[0].message


def test_missing_path_is_a_corpus_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="corpus not found"):
        load_corpus(tmp_path / "nope")
