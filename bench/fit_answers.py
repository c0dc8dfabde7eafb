"""Fits the answer model (``bot/answer/weights.json``) on data teambot's code was not written for.

For every fitting question (SQuAD-dev's six fitted titles, the team-chat tune
part) each candidate sentence's features are measured by teambot's own answer
pipeline, labelled by whether the answer built around it holds a gold string
(from a right article), and a logistic regression is fitted. Then two
thresholds are chosen on the same questions:

- ``answer_at``: on the team-chat tune questions (the product's own domain: how
  sure to be before answering a team is a property of that domain, and SQuAD's
  adversarial half-unanswerable mix would set it for Wikipedia trivia instead),
  the confidence that maximises combined accuracy while answer precision stays at
  least ``TARGET_PRECISION``;
- ``related_at``: the confidence above which the closest passages come from a
  right article more often than not (best balanced accuracy).

Two variants: ``hybrid`` (embedding models on) and ``bm25`` (models off).

    python bench/fit_answers.py [--features DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pickle
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
from answer_data import SEEDS, SQUAD, Case, chat_cases, correct, squad_cases  # noqa: E402

from bot.answer.extract import answer_sentences  # noqa: E402
from bot.answer.features import FEATURES, question_features  # noqa: E402
from bot.answer.model import WEIGHTS, AnswerModel  # noqa: E402
from bot.bootstrap import build_bot  # noqa: E402
from bot.service import TeamBot  # noqa: E402
from bot.settings import Settings  # noqa: E402

#: The answer precision the project promises (issue 8: ≥ 0.85 on SQuAD-dev).
TARGET_PRECISION = 0.85
#: The questions ``answer_at`` is chosen on: team chat, the product's domain.
THRESHOLD_SET = "chat"
#: scikit-learn's default regularisation; the features are few and standardised.
C = 1.0
#: Signals that exist only with the embedding models.
MODEL_FEATURES = ("dense", "rerank", "rerank_gap", "static")
#: A stand-in while measuring: its probabilities are never used.
UNFITTED = AnswerModel(
    FEATURES, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES), (0.0,) * len(FEATURES), 0.0, 1, 1
)
#: The fixed small sample the tests re-fit to check this file came from this script.
SAMPLE = 40


@dataclass(frozen=True, slots=True)
class Measured:
    """One question's candidates: features, whether each gives a correct answer, and
    whether each comes from a right article."""

    case: Case
    rows: npt.NDArray[np.float64]
    good: npt.NDArray[np.bool_]
    on_topic: npt.NDArray[np.bool_]


#: Dense weights tried for the hybrid retrieval score (0 = BM25 alone).
FUSION_GRID = tuple(round(0.05 * i, 2) for i in range(21))
#: Reciprocal rank counts to this depth (the passages the answer step reads).
FUSION_DEPTH = 10


def fit_fusion(bot: TeamBot, cases: Sequence[Case]) -> float:
    """The dense weight with the best mean reciprocal rank of the gold article."""
    retriever = bot.retriever
    index = retriever.index
    article_of = index.passages.article_of
    ids = np.array([a.article_id for a in index.articles])
    totals = np.zeros(len(FUSION_GRID))
    for case in cases:
        question = bot.answerer.spell(case.question)
        bm25 = index.scores(index.tokenizer(question))
        sims = retriever.similarities(question)
        if sims is None:
            return 0.0
        scaled = bm25 / bm25.max() if bm25.max() > 0 else bm25
        for g, w in enumerate(FUSION_GRID):
            order = np.argsort(-((1 - w) * scaled + w * sims), kind="stable")[: 4 * FUSION_DEPTH]
            seen: list[str] = []
            for i in order:
                article = str(ids[article_of[i]])
                if article not in seen:
                    seen.append(article)
            hit = [n for n, a in enumerate(seen[:FUSION_DEPTH]) if a in case.articles]
            totals[g] += 1.0 / (hit[0] + 1) if hit else 0.0
    return float(FUSION_GRID[int(np.argmax(totals))])


def open_bot(corpus: Path, data_dir: Path, *, models: bool) -> TeamBot:
    spec = "bundled" if models else "off"
    settings = Settings(corpus=corpus, data_dir=data_dir, embed_model=spec, rerank_model=spec)
    return build_bot(settings)


def measure(bot: TeamBot, cases: Sequence[Case]) -> list[Measured]:
    """Runs teambot's answer pipeline on each case and labels its candidates."""
    answerer = bot.answerer
    out = []
    for case in cases:
        scored = answerer.score(answerer.spell(case.question))
        if scored is None or not scored.candidates:
            width = len(FEATURES)
            empty = np.zeros(0, dtype=bool)
            out.append(Measured(case, np.zeros((0, width)), empty, empty))
            continue
        good, on_topic = [], []
        for c in scored.candidates:
            article = c.passage.article.article_id
            text = " ".join(answer_sentences(c, scored.question))
            good.append(case.answerable and correct(case, text, (article,)))
            on_topic.append(article in case.articles)
        out.append(Measured(case, scored.rows, np.array(good), np.array(on_topic)))
    return out


def fit(measured: Sequence[Measured], features: Sequence[str]) -> AnswerModel:
    """The logistic regression over ``features``; each set weighs the same in total."""
    columns = [FEATURES.index(f) for f in features]
    rows = [m for m in measured if len(m.rows)]
    x = np.concatenate([m.rows[:, columns] for m in rows])
    y = np.concatenate([m.good for m in rows])
    per_set = {s: sum(1 for m in rows if m.case.set == s) for s in {m.case.set for m in rows}}
    # A question weighs 1 / (its set's size), shared by its candidates.
    w = np.concatenate(
        [np.full(len(m.rows), 1.0 / (per_set[m.case.set] * len(m.rows))) for m in rows]
    )
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=C, max_iter=5000)
    lr.fit((x - mean) / scale, y, sample_weight=w / w.mean())
    return AnswerModel(
        features=tuple(features),
        mean=tuple(round(float(v), 6) for v in mean),
        scale=tuple(round(float(v), 6) for v in scale),
        coef=tuple(round(float(v), 6) for v in lr.coef_[0]),
        intercept=round(float(lr.intercept_[0]), 6),
        answer_at=1.0,
        related_at=1.0,
    )


def decide(
    model: AnswerModel, measured: Sequence[Measured]
) -> tuple[
    npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.float64]
]:
    """Per question: confidence, whether its best answer is correct, whether its
    best candidate is on topic, and its weight (each set weighs the same)."""
    sets = {m.case.set for m in measured}
    size = {s: sum(1 for m in measured if m.case.set == s) for s in sets}
    conf, ok, topic, weight = [], [], [], []
    for m in measured:
        if len(m.rows):
            p = model.probabilities(m.rows)
            best = int(np.argmax(p))
            conf.append(model.confidence(m.rows, p))
            ok.append(bool(m.good[best]))
            topic.append(bool(m.on_topic[best]))
        else:
            conf.append(0.0)
            ok.append(False)
            topic.append(False)
        weight.append(1.0 / size[m.case.set])
    return np.array(conf), np.array(ok), np.array(topic), np.array(weight)


def thresholds(model: AnswerModel, measured: Sequence[Measured]) -> AnswerModel:
    """``model`` with ``answer_at`` and ``related_at`` chosen on ``measured``."""
    conf, ok, topic, w = decide(model, measured)
    unanswerable = np.array([not m.case.answerable for m in measured])
    domain = np.array([m.case.set == THRESHOLD_SET for m in measured])
    if not domain.any():
        domain[:] = True
    best_t, best_combined = 1.0, -1.0
    for t in np.unique(conf[domain]):
        answered = (conf >= t) & domain
        if not answered.any():
            continue
        precision = (w * (answered & ok)).sum() / (w * answered).sum()
        kept = (w * (~answered & unanswerable & domain)).sum()
        combined = ((w * (answered & ok)).sum() + kept) / (w * domain).sum()
        if precision >= TARGET_PRECISION and combined > best_combined:
            best_t, best_combined = float(t), combined
    related_t, best_j = best_t, -1.0
    for t in np.unique(conf[conf < best_t]):
        shown = conf >= t
        tpr = (w * (shown & topic)).sum() / max((w * topic).sum(), 1e-12)
        tnr = (w * (~shown & ~topic)).sum() / max((w * ~topic).sum(), 1e-12)
        if tpr + tnr - 1 > best_j:
            related_t, best_j = float(t), tpr + tnr - 1
    return dataclasses.replace(
        model, answer_at=round(best_t, 6), related_at=round(min(related_t, best_t), 6)
    )


def fit_question(model: AnswerModel, measured: Sequence[Measured]) -> AnswerModel:
    """Adds the question stage: P(the best sentence is a right answer), fitted over
    ``QUESTION_FEATURES``; each set weighs the same in total."""
    x, y, w = [], [], []
    size = {s: sum(1 for m in measured if m.case.set == s) for s in {m.case.set for m in measured}}
    for m in measured:
        p = model.probabilities(m.rows)
        x.append(question_features(p, m.rows))
        y.append(bool(len(p)) and bool(m.good[int(np.argmax(p))]))
        w.append(1.0 / size[m.case.set])
    xa, wa = np.asarray(x), np.asarray(w)
    mean = xa.mean(axis=0)
    scale = xa.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=C, max_iter=5000)
    lr.fit((xa - mean) / scale, np.asarray(y), sample_weight=wa / wa.mean())
    stage = (
        tuple(round(float(v), 6) for v in mean),
        tuple(round(float(v), 6) for v in scale),
        tuple(round(float(v), 6) for v in lr.coef_[0]),
        (round(float(lr.intercept_[0]), 6),),
    )
    return dataclasses.replace(model, question=stage)


def fit_variant(measured: Sequence[Measured], *, models: bool) -> AnswerModel:
    """Fits one variant on the fitting split."""
    features = [f for f in FEATURES if models or f not in MODEL_FEATURES]
    fitting = [m for m in measured if m.case.split == "fit"]
    return thresholds(fit_question(fit(fitting, features), fitting), fitting)


def sample(measured: Sequence[Measured]) -> list[Measured]:
    """The fixed small sample: the first ``SAMPLE`` fitting questions of each set."""
    out: list[Measured] = []
    for name in ("squad", "chat"):
        out += [m for m in measured if m.case.set == name and m.case.split == "fit"][:SAMPLE]
    return out


def measure_all(
    work: Path, *, models: bool, weight: float, prerank: AnswerModel | None
) -> list[Measured]:
    """Both sets, measured with the models on or off, the given fusion weight, and
    ``prerank`` choosing the sentences to rerank."""
    tag = "hybrid" if models else "bm25"
    squad_bot = open_bot(SQUAD / "corpus.jsonl", work / f"squad-{tag}", models=models)
    chat_bot = open_bot(SEEDS, work / f"chat-{tag}", models=models)
    for bot in (squad_bot, chat_bot):
        bot.retriever.dense_weight = weight
        bot.answerer.prerank = prerank
        bot.answerer.model = UNFITTED  # measuring needs features, not the old weights
    return measure(squad_bot, squad_cases()) + measure(chat_bot, chat_cases())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "teambot-fit")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument(
        "--reuse", action="store_true", help="reuse the features measured by the last run"
    )
    args = parser.parse_args()
    variants, checks = {}, {}
    # The hybrid variant is fitted with dense retrieval's fusion weight (fitted first,
    # on SQuAD-dev), and reranks the candidates the BM25-only variant ranks best,
    # so the BM25-only variant is fitted first.
    squad_fit = [c for c in squad_cases() if c.split == "fit"]
    weight = fit_fusion(
        open_bot(SQUAD / "corpus.jsonl", args.work / "squad-hybrid", models=True), squad_fit
    )
    print(f"fusion: dense weight {weight}")
    prerank: AnswerModel | None = None
    for models in (False, True):
        tag = "hybrid" if models else "bm25"
        saved = args.work / f"measured-{tag}.pickle"
        if args.reuse and saved.is_file():
            measured = pickle.loads(saved.read_bytes())
        else:
            measured = measure_all(args.work, models=models, weight=weight, prerank=prerank)
            saved.write_bytes(pickle.dumps(measured))
        variants[tag] = fit_variant(measured, models=models).to_json()
        checks[tag] = fit_variant(sample(measured), models=models).to_json()
        model = AnswerModel.from_json(variants[tag])
        prerank = model
        print(f"{tag}: answer_at {model.answer_at:.3f}, related_at {model.related_at:.3f}")
        for name, coef in sorted(
            zip(model.features, model.coef, strict=True), key=lambda x: -abs(x[1])
        ):
            print(f"  {name:12s} {coef:+.3f}")
    document = {
        "fitted_by": "bench/fit_answers.py",
        "data": "squad-dev (6 of 8 titles) + bench/data/team_chat_questions.jsonl (tune part)",
        "target_precision": TARGET_PRECISION,
        "fusion": {"dense_weight": weight},
        "variants": variants,
        "sample_fit": checks,
    }
    args.out.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
