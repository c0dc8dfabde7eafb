"""Answer quality on SQuAD-dev and the team-chat questions, beside simple baselines.

Every question goes through ``TeamBot.ask`` exactly as a user's would. Reported
for each set and split (fit / held: the held parts were never fitted on):

- combined: (correct answers to answerable + abstentions on unanswerable) / all;
- answered-correct: correct answers / answerable questions;
- precision: correct answers / answers given;
- abstention: unanswerable questions not answered / unanswerable questions.

"Answered" means the confident tier; the not-sure tier (closest quotes) counts as
not answered. Baselines: never answering, and always answering with the best
sentence of the top BM25 passage.

    python bench/answers.py [--models off] [--show-misses]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from answer_data import SEEDS, SQUAD, Case, chat_cases, judge, squad_cases  # noqa: E402

from bot.answer.question import analyse  # noqa: E402
from bot.bootstrap import build_bot  # noqa: E402
from bot.models import Answer, Citation  # noqa: E402
from bot.service import TeamBot  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.text.overlap import share  # noqa: E402
from bot.text.sentences import split_sentences  # noqa: E402

Asker = Callable[[str], Answer]


def top_bm25_sentence(bot: TeamBot) -> Asker:
    """The baseline that always answers: the top BM25 passage's best-covered sentence."""
    index = bot.retriever.index

    def ask(question: str) -> Answer:
        q = analyse(question, index)
        top = index.top_passages(q.query, 1)
        if not top:
            return Answer(question, False, "")
        passage = index.passage(top[0][0])
        best = max(
            split_sentences(passage.text),
            key=lambda s: share(q.terms, frozenset(index.tokenizer(s))),
        )
        return Answer(question, True, best, (Citation(passage.article, best),))

    return ask


def never(question: str) -> Answer:
    return Answer(question, False, "")


def figures(cases: Sequence[Case], verdicts: Sequence[str]) -> dict[str, float]:
    """combined, answered-correct, precision and abstention for one group."""
    n = len(cases)
    answerable = sum(c.answerable for c in cases)
    unanswerable = n - answerable
    correct = sum(v == "correct" for v in verdicts)
    answered = sum(v != "abstained" for v in verdicts)
    abstained = sum(
        v == "abstained" and not c.answerable for c, v in zip(cases, verdicts, strict=True)
    )
    return {
        "n": n,
        "combined": (correct + abstained) / n if n else 0.0,
        "correct": correct / answerable if answerable else float("nan"),
        "precision": correct / answered if answered else float("nan"),
        "abstention": abstained / unanswerable if unanswerable else float("nan"),
    }


def line(label: str, f: dict[str, float]) -> str:
    return (
        f"  {label:28s} n={int(f['n']):5d}  combined {f['combined']:.3f}  "
        f"answered-correct {f['correct']:.3f}  precision {f['precision']:.3f}  "
        f"abstention {f['abstention']:.3f}"
    )


def run(name: str, cases: Sequence[Case], askers: dict[str, Asker], show: bool) -> None:
    print(f"\n{name}")
    for label, ask in askers.items():
        started = time.perf_counter()
        verdicts, times = [], []
        for case in cases:
            t0 = time.perf_counter()
            answer = ask(case.question)
            times.append(time.perf_counter() - t0)
            verdicts.append(judge(case, answer))
            if show and label == "teambot" and verdicts[-1] != "correct" and case.answerable:
                print(f"    miss [{case.kind}] {case.question!r} -> {answer.text[:100]!r}")
            if show and label == "teambot" and verdicts[-1] == "wrong" and not case.answerable:
                print(f"    WRONG [{case.kind}] {case.question!r} -> {answer.text[:100]!r}")
        took = time.perf_counter() - started
        print(f" {label} ({took:.1f} s, p50 {statistics.median(times) * 1000:.0f} ms a question)")
        for split in ("fit", "held", "all"):
            idx = [i for i, c in enumerate(cases) if split in ("all", c.split)]
            sub = [cases[i] for i in idx]
            print(line(split, figures(sub, [verdicts[i] for i in idx])))
        if label == "teambot" and cases[0].set == "chat":
            by_kind: dict[tuple[str, str], list[int]] = defaultdict(list)
            for i, c in enumerate(cases):
                by_kind[(c.split, c.kind)].append(i)
            for (split, kind), idx in sorted(by_kind.items()):
                tally = Counter(verdicts[i] for i in idx)
                good = tally["abstained"] if not cases[idx[0]].answerable else tally["correct"]
                print(f"    {split:4s} {kind:12s} {good}/{len(idx)} ({good / len(idx):.0%})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="bundled", help="bundled (default) or off")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--only", choices=("squad", "chat"))
    args = parser.parse_args()
    if not (SQUAD / "questions.jsonl").exists():
        print(f"SQuAD-dev not found at {SQUAD}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        for name, corpus, cases in (
            ("SQuAD-dev (answer or abstain)", SQUAD / "corpus.jsonl", squad_cases()),
            ("Team chat (seed articles)", SEEDS, chat_cases()),
        ):
            if args.only and args.only != cases[0].set:
                continue
            settings = Settings(
                corpus=corpus,
                data_dir=Path(tmp) / name[:5],
                embed_model=args.models,
                rerank_model=args.models,
            )
            bot = build_bot(settings)
            askers = {"teambot": bot.ask, "top BM25 sentence": top_bm25_sentence(bot)}
            askers["never answer"] = never
            run(name, cases, askers, args.show_misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
