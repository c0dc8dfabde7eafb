"""Where the answer step loses team-chat questions, by kind: the tune part only.

Each answerable question of the tune part (the held part is never read here: it
is filtered out before a question is asked) lands in one bucket:

- right: answered, and correctly;
- threshold: the best candidate is right but the confidence is below ``answer_at``
  (the not-sure or nothing tier);
- rank: a right candidate exists, but another one is ranked first;
- recall: no candidate sentence (with its neighbours) holds the answer.

For must-not-answer questions (near misses, off-topic chat): answered or not.

    python bench/answer_failures.py [--models off]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from answer_data import SEEDS, Case, chat_cases, correct  # noqa: E402

from bot.answer.extract import Answerer, answer_sentences  # noqa: E402
from bot.answer.model import AnswerModel, load_model  # noqa: E402
from bot.bootstrap import build_bot  # noqa: E402
from bot.settings import Settings  # noqa: E402

BUCKETS = ("right", "threshold", "rank", "recall")


def bucket(answerer: Answerer, model: AnswerModel, case: Case) -> str:
    """The outcome of ``case`` (see the module docstring) with ``model`` in use."""
    scored = answerer.score(answerer.spell(case.question))
    if scored is None or not scored.candidates:
        return "recall" if case.answerable else "not answered"
    best = int(np.argmax(scored.probabilities))
    answered = model.confidence(scored.rows, scored.probabilities) >= model.answer_at
    if not case.answerable:
        return "answered" if answered else "not answered"
    right = [
        correct(
            case, " ".join(answer_sentences(c, scored.question)), (c.passage.article.article_id,)
        )
        for c in scored.candidates
    ]
    if right[best]:
        return "right" if answered else "threshold"
    return "rank" if any(right) else "recall"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="bundled", help="bundled (default) or off")
    args = parser.parse_args()
    tune = [c for c in chat_cases() if c.split == "fit"]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            corpus=SEEDS, data_dir=Path(tmp), embed_model=args.models, rerank_model=args.models
        )
        answerer = build_bot(settings).answerer
        model = load_model("bm25" if args.models == "off" else "hybrid")
        by_kind: dict[str, Counter[str]] = defaultdict(Counter)
        for case in tune:
            by_kind[case.kind][bucket(answerer, model, case)] += 1
    total: Counter[str] = Counter()
    print(f"team chat, tune part ({len(tune)} questions)")
    for kind, tally in sorted(by_kind.items()):
        total.update(tally)
        print(f"  {kind:12s} " + "  ".join(f"{k} {n}" for k, n in sorted(tally.items())))
    print("  all          " + "  ".join(f"{k} {total[k]}" for k in BUCKETS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
