"""The bundled reranker run directly with ONNX Runtime gives fastembed's vectors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.embed.models import BUNDLED_DIR
from bot.embed.onnx import OnnxModel, OnnxModelError
from tests.conftest import SEEDS

FOLDER = BUNDLED_DIR / "rerank"


def _sentences() -> list[str]:
    text = (SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0]).read_text(encoding="utf-8")
    sentences = [s.strip() for s in text.replace("\n", " ").split(". ") if s.strip()]
    return sentences[:60] + ["", "a", "中文 é \x00", "GLM-5 " * 300]


def test_vectors_match_fastembeds_mean_pooled_model() -> None:
    from fastembed import TextEmbedding
    from fastembed.common.model_description import ModelSource, PoolingType

    name = "teambot-test/rerank"
    if not any(m["model"] == name for m in TextEmbedding.list_supported_models()):
        TextEmbedding.add_custom_model(
            model=name,
            pooling=PoolingType.MEAN,
            normalization=True,
            sources=ModelSource(hf=name),
            dim=384,
            model_file="model.onnx",
        )
    reference = TextEmbedding(name, specific_model_path=str(FOLDER), local_files_only=True)
    texts = _sentences()
    theirs = np.asarray(list(reference.embed(texts)), dtype=np.float32)
    ours = OnnxModel(FOLDER, FOLDER / "model.onnx").embed(texts)
    assert ours.shape == (len(texts), 384)
    np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_a_folder_without_tokenizer_settings_is_refused(tmp_path: Path) -> None:
    for name in ("model.onnx", "tokenizer.json", "config.json"):
        (tmp_path / name).write_bytes((FOLDER / name).read_bytes())
    with pytest.raises(OnnxModelError, match="tokenizer_config.json is missing"):
        OnnxModel(tmp_path, tmp_path / "model.onnx")


def test_a_one_shot_ask_imports_neither_fastembed_nor_scipy(tmp_path: Path) -> None:
    """fastembed's import (its image models too) and scipy's cost a one-shot ``teambot
    ask`` about half a second; with a warm cache the bundled models need neither."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from bot.bootstrap import build_bot\n"
        "from tests.conftest import SEEDS, settings_for\n"
        "if __name__ == '__main__':\n"
        "    bot = build_bot(settings_for(SEEDS, Path(sys.argv[1])))\n"
        "    print(bot.ask('How many parameters does RynnBrain have?').answered)\n"
        "    print(sorted({m.split('.')[0] for m in sys.modules} & {'fastembed', 'scipy'}))\n"
    )
    script = tmp_path / "ask.py"
    script.write_text(code)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    runs = [
        subprocess.run(
            [sys.executable, str(script), str(tmp_path / "data")],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
            env=env,
        ).stdout.split("\n")
        for _ in range(2)  # the first builds the cache
    ]
    assert runs[1][:2] == ["True", "[]"], runs
