"""Loading a corpus survives every kind of bad file with one warning naming it."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from bot.corpus.loader import LoadedCorpus, load_corpus
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


# Issue 10: a bad file must never stop the load.

LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)
BILLION_LAUGHS = f'---\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n{LAUGHS}'


def test_impossible_published_date_keeps_the_article_and_its_other_fields(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "feb30.md").write_text(
        "---\ntitle: Kling 4.0\npublished: 2026-02-30\nurl: https://k.example/4\n---\n"
        "Kuaishou shipped Kling 4.0.\n"
    )
    loaded = load_corpus(tmp_path)
    by_id = {a.id: a for a in loaded.articles}
    assert set(by_id) == {"good", "feb30"}
    assert (by_id["feb30"].title, by_id["feb30"].url, by_id["feb30"].published) == (
        "Kling 4.0",
        "https://k.example/4",
        None,
    )
    assert _warnings_for(tmp_path) == {
        "feb30.md": "unreadable published date '2026-02-30'; ignored"
    }


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("front.md", "---\nurl: http://[x\n---\nKuaishou shipped Kling 4.0.\n"),
        ("body.txt", "Kling 4.0\n\nhttp://[x\n\nKuaishou shipped Kling 4.0.\n"),
        ("source.txt", "Kling 4.0\n\nKuaishou shipped Kling 4.0.\n\n(Source: http://[x)\n"),
        ("port.md", "---\nurl: https://k.example:http/4\n---\nKuaishou shipped Kling 4.0.\n"),
        (
            "feed.jsonl",
            json.dumps({"id": "k4", "text": "Kuaishou shipped Kling 4.0.", "url": "http://[x"}),
        ),
    ],
)
def test_malformed_url_is_ignored_with_a_warning(tmp_path: Path, name: str, content: str) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / name).write_text(content)
    loaded = load_corpus(tmp_path)
    (article,) = [a for a in loaded.articles if a.id != "good"]
    assert article.text == "Kuaishou shipped Kling 4.0."
    assert (article.url, article.source) == (None, None)
    (warning,) = loaded.warnings
    assert Path(warning.path.split(":")[0]).name == name
    assert warning.message.startswith("unreadable URL") and warning.message.endswith("; ignored")


@pytest.mark.parametrize(
    ("levels", "reason"),
    [(10_000, "is nested deeper than 16 levels"), (50_000, "over 64 KB")],
)
def test_deeply_nested_front_matter_is_ignored(tmp_path: Path, levels: int, reason: str) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    nested = "[" * levels + "]" * levels
    (tmp_path / "deep.md").write_text(f"---\ntitle: {nested}\n---\nKuaishou shipped Kling 4.0.\n")
    loaded = load_corpus(tmp_path)
    assert {a.id: a.text for a in loaded.articles}["deep"] == "Kuaishou shipped Kling 4.0."
    assert _warnings_for(tmp_path) == {
        "deep.md": f"front matter {reason}; metadata ignored, text loaded"
    }


def test_front_matter_with_a_control_character_keeps_the_text(tmp_path: Path) -> None:
    # PyYAML refuses the character as it reads the block, before parsing it.
    (tmp_path / "escape.md").write_text("---\ntitle: a\x1bb\n---\nKuaishou shipped Kling 4.0.\n")
    (article,) = load_corpus(tmp_path).articles
    assert article.text == "Kuaishou shipped Kling 4.0."
    assert _warnings_for(tmp_path) == {
        "escape.md": "broken front matter; metadata ignored, text loaded"
    }


def test_yaml_aliases_are_refused_not_expanded(tmp_path: Path) -> None:
    # 428 bytes of aliases to aliases: nine to the ninth "lol"s once expanded.
    for field in ("title", "published", "source"):
        (tmp_path / f"{field}.md").write_text(
            f"{BILLION_LAUGHS}{field}: *i\n---\nKuaishou shipped Kling 4.0.\n"
        )
    loaded = load_corpus(tmp_path)
    assert len(BILLION_LAUGHS) < 450
    assert [(a.text, a.source, a.published) for a in loaded.articles] == [
        ("Kuaishou shipped Kling 4.0.", None, None)
    ] * 3
    refused = "front matter uses YAML aliases (*name), which teambot does not expand"
    assert set(_warnings_for(tmp_path).values()) == {f"{refused}; metadata ignored, text loaded"}


def test_any_error_in_one_file_is_one_warning_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.corpus import loader

    original = loader.parse_article

    def parse(article_id: str, *args: object, **kwargs: object) -> object:
        if article_id == "cursed":
            raise RecursionError("maximum recursion depth exceeded")
        return original(article_id, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "parse_article", parse)
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "cursed.txt").write_text(GOOD)
    (tmp_path / "feed.jsonl").write_text(
        json.dumps({"id": "cursed", "text": "x"}) + "\n" + json.dumps({"id": "ok", "text": GOOD})
    )
    loaded = load_corpus(tmp_path)
    assert sorted(a.id for a in loaded.articles) == ["good", "ok"]
    reason = "cannot be loaded (RecursionError: maximum recursion depth exceeded)"
    assert [(Path(w.path).name, w.message) for w in loaded.warnings] == [
        ("cursed.txt", f"{reason}; skipped"),
        ("feed.jsonl:1", f"{reason}; line skipped"),
    ]


def test_jsonl_lines_json_cannot_hold_are_skipped(tmp_path: Path) -> None:
    rows = [
        '{"id": "big", "text": "x", "n": ' + "9" * 5000 + "}",
        "[" * 100_000 + "]" * 100_000,
        json.dumps({"id": "ok", "text": "Zhipu released GLM-5."}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(rows))
    loaded = load_corpus(tmp_path)
    assert [a.id for a in loaded.articles] == ["ok"]
    assert [(w.path.rsplit(":", 1)[1], w.message.split(" (")[0]) for w in loaded.warnings] == [
        ("1", "invalid JSON"),
        ("2", "invalid JSON"),
    ]


def test_fifo_is_skipped_without_waiting_for_a_writer(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result: list[LoadedCorpus] = []
    loading = threading.Thread(target=lambda: result.append(load_corpus(tmp_path)), daemon=True)
    loading.start()
    loading.join(30)
    try:
        assert not loading.is_alive(), "loading waits for a writer to open the FIFO"
    finally:
        if loading.is_alive():  # let a stuck open() return so the thread can end
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert [a.id for a in result[0].articles] == ["good"]
    assert _warnings_for(tmp_path) == {"pipe.txt": "a FIFO, not a regular file; skipped"}


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_symlink_to_a_device_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    loaded = load_corpus(tmp_path)
    assert [a.id for a in loaded.articles] == ["good"]
    assert _warnings_for(tmp_path) == {
        "zero.txt": "a character device, not a regular file; skipped"
    }


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="no procfs here")
def test_size_cap_holds_while_reading_whatever_the_size_claims(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # procfs files claim 0 bytes and then have content: only the read can tell.
    from bot.corpus import loader

    monkeypatch.setattr(loader, "MAX_ARTICLE_BYTES", 100)
    (tmp_path / "status.txt").symlink_to("/proc/self/status")
    assert (tmp_path / "status.txt").stat().st_size == 0
    (tmp_path / "small.txt").write_text(GOOD)
    loaded = load_corpus(tmp_path)
    assert [a.id for a in loaded.articles] == ["small"]
    assert _warnings_for(tmp_path) == {"status.txt": "larger than 100 bytes; skipped"}


def test_jsonl_is_read_a_line_at_a_time_with_a_limit_per_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.corpus import loader

    monkeypatch.setattr(loader, "MAX_ARTICLE_BYTES", 200)
    rows = [json.dumps({"id": f"a{n}", "text": f"Article {n} about GLM-5."}) for n in range(20)]
    rows.insert(3, json.dumps({"id": "huge", "text": "GLM-5 " * 100}))
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(rows) + "\n")
    assert path.stat().st_size > 4 * 200  # the file is far over the per-article limit
    loaded = load_corpus(tmp_path)
    assert [a.id for a in loaded.articles] == [f"a{n}" for n in range(20)]
    assert [(w.path.rsplit(":", 1)[1], w.message) for w in loaded.warnings] == [
        ("4", "line larger than 200 bytes; line skipped")
    ]


def test_running_bot_keeps_picking_up_articles_beside_bad_files(
    corpus: Path, tmp_path: Path
) -> None:
    from bot.bootstrap import build_app
    from tests.conftest import settings_for

    app = build_app(settings_for(corpus, tmp_path / "data"))
    try:
        (corpus / "feb30.md").write_text("---\npublished: 2026-02-30\n---\nBody about M2.5.\n")
        (corpus / "badurl.txt").write_text("Title\n\nhttp://[x\n\nBody about GLM-5.\n")
        (corpus / "deep.md").write_text("---\nx: " + "[" * 50_000 + "]" * 50_000 + "\n---\nB.\n")
        os.mkfifo(corpus / "pipe.txt")
        (corpus / "kling4.md").write_text(
            "Kling 4.0 Arrives\n\nKuaishou shipped Kling 4.0 with clips up to 60s long.\n"
        )
        assert app.corpus.refresh() is True
        hits = app.bot.search("Kling 4.0 clips").hits
        assert "60s" in hits[0].passage.text
        ids = {ref.article_id for ref in app.bot.sources()}
        assert {"feb30", "badurl", "deep", "kling4"} <= ids
    finally:
        app.close()
