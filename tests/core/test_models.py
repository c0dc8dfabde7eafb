"""Embedding models: bundled by default, off on request, a broken one falls back."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot.bootstrap import build_bot
from bot.embed.lazy import LazyModel
from bot.embed.models import BUNDLED_DIR, load_embedder, looks_like_path
from tests.conftest import SEEDS, settings_for


def test_bundled_models_load_offline_and_embed_unit_vectors() -> None:
    for role, dim in (("static", 256), ("rerank", 384)):
        model = LazyModel("bundled", role).get()  # type: ignore[arg-type]
        assert model is not None
        vectors = model.embed(["RynnBrain has 30 billion parameters.", "Pasta with tomato."])
        assert vectors.shape == (2, dim)
        assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-4


def test_bundled_rerank_model_ranks_a_paraphrase_above_an_unrelated_sentence() -> None:
    model = LazyModel("bundled", "rerank").get()
    assert model is not None
    q, near, far = model.embed(
        [
            "how big is the robot brain model",
            "The robotics model has 30 billion parameters.",
            "The Spring Festival gala drew a record audience.",
        ]
    )
    assert float(q @ near) > float(q @ far) + 0.1


def test_bundled_weights_and_licence_ship_with_the_package() -> None:
    assert (BUNDLED_DIR / "static" / "model.safetensors").is_file()
    assert (BUNDLED_DIR / "rerank" / "model.onnx").is_file()
    for role in ("static", "rerank"):
        assert "Apache License 2.0" in (BUNDLED_DIR / role / "LICENSE.txt").read_text()


def test_off_loads_nothing() -> None:
    assert load_embedder("off", "rerank") is None
    assert LazyModel("OFF", "static").get() is None
    assert LazyModel("off", "static").ident() == "off"


def test_path_specs_are_never_hub_names() -> None:
    assert looks_like_path("/opt/models/x") and looks_like_path("./m") and looks_like_path("~/m")
    assert not looks_like_path("BAAI/bge-small-en-v1.5")


def test_broken_model_folder_warns_once_and_answers_with_bm25(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.onnx").write_bytes(b"not an onnx file")
    (broken / "config.json").write_text('{"hidden_size": 384}')
    (broken / "tokenizer.json").write_text("{}")
    caplog.set_level(logging.WARNING)
    bot = build_bot(settings_for(SEEDS, tmp_path / "data", rerank_model=str(broken)))
    first = bot.ask("How much did China's industrial robot output grow in 2025?")
    bot.ask("What did ByteDance ship?")
    warnings = [r.getMessage() for r in caplog.records if "cannot load" in r.getMessage()]
    assert len(warnings) == 1 and str(broken) in warnings[0] and "BM25" in warnings[0]
    assert first.answered and "28%" in first.text


def test_missing_model_folder_is_a_warning_not_a_crash(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    bot = build_bot(settings_for(SEEDS, tmp_path / "data", embed_model=str(tmp_path / "nope")))
    assert bot.retriever.index.dense is None
    assert bot.search("Kling 3.0").hits
    assert any("no such model folder" in r.getMessage() for r in caplog.records)


def test_off_gives_bm25_only_answers(tmp_path: Path) -> None:
    bot = build_bot(settings_for(SEEDS, tmp_path / "data", embed_model="off", rerank_model="off"))
    assert bot.retriever.index.dense is None
    answer = bot.ask("How much did China's industrial robot output grow in 2025?")
    assert answer.answered and "28%" in answer.text
    assert not bot.ask("What's the weather in Paris tomorrow?").answered


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc thread masks")
def test_threads_a_model_starts_leave_ctrl_c_to_the_main_thread() -> None:
    """A SIGINT delivered to an ONNX Runtime or tokenizer worker would never reach the
    console's prompt; the workers a model starts, loading or embedding, must block it
    (and SIGTERM)."""
    script = """
import glob, os
from bot.embed.lazy import LazyModel

def masks():
    out = {}
    for status in glob.glob(f"/proc/{os.getpid()}/task/*/status"):
        fields = dict(line.split(":\\t", 1) for line in open(status) if ":\\t" in line)
        out[status] = int(fields["SigBlk"], 16)
    return out

before = masks()
for role in ("static", "rerank"):
    model = LazyModel("bundled", role).get()
    for batch in (["one text"], [f"text number {n} of a batch" for n in range(64)]):
        model.embed(batch)
new = {task: mask for task, mask in masks().items() if task not in before}
print(len(new), all(mask & (1 << 1) and mask & (1 << 14) for mask in new.values()))
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    started, all_blocked = out.stdout.split()
    assert int(started) > 0 and all_blocked == "True"
