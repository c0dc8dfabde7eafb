"""The question sets the answer model is fitted and measured on, and how an answer is judged.

- SQuAD 2.0 dev (``../shared/bench/squad-dev``): Wikipedia paragraphs, half the
  questions unanswerable. Split by article title: the answer model is fitted on
  the questions of six titles and measured on all eight and on the two it never saw.
- Team chat (``bench/data/team_chat_questions.jsonl``): questions about the seed
  articles written by someone who never read this code, typed as people type in
  chat. Split by a hash of the question id: the tune part is fitted on, the held
  part only measured.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.models import Answer

ROOT = Path(__file__).resolve().parent.parent
SQUAD = ROOT.parent / "shared" / "bench" / "squad-dev"
CHAT = ROOT / "bench" / "data" / "team_chat_questions.jsonl"
SEEDS = ROOT / "seeds"
#: Two of SQuAD-dev's eight titles are never fitted on: a quarter held back.
SQUAD_HELD_TITLES = 2
#: Two fifths of the team-chat questions are held back (never fitted on).
CHAT_HELD_FIFTHS = 2


@dataclass(frozen=True, slots=True)
class Case:
    """One question with what a correct reply must hold."""

    id: str
    set: str  # "squad" or "chat"
    split: str  # "fit" or "held"
    kind: str  # the chat kind, or "answerable"/"unanswerable" for SQuAD
    question: str
    answerable: bool
    answers: tuple[str, ...]
    articles: tuple[str, ...]  # article ids that hold the answer (or the gold paragraph)


def squad_cases(root: Path = SQUAD) -> list[Case]:
    """SQuAD-dev's questions, split by title."""
    rows = [json.loads(line) for line in (root / "questions.jsonl").open(encoding="utf-8")]
    titles = sorted({r["gold"].rsplit("-", 1)[0] for r in rows}, key=_hash)
    held = set(titles[:SQUAD_HELD_TITLES])
    return [
        Case(
            id=r["id"],
            set="squad",
            split="held" if r["gold"].rsplit("-", 1)[0] in held else "fit",
            kind="answerable" if r["answerable"] else "unanswerable",
            question=r["question"],
            answerable=bool(r["answerable"]),
            answers=tuple(r["answers"]),
            articles=(r["gold"],),
        )
        for r in rows
    ]


def chat_cases(path: Path = CHAT) -> list[Case]:
    """The team-chat questions, split by a hash of their id."""
    cases = []
    for line in path.open(encoding="utf-8"):
        r = json.loads(line)
        held = int(_hash(r["id"]), 16) % 5 < CHAT_HELD_FIFTHS
        cases.append(
            Case(
                id=r["id"],
                set="chat",
                split="held" if held else "fit",
                kind=r["kind"],
                question=r["question"],
                answerable=bool(r["answerable"]),
                answers=tuple(r["answers"]),
                articles=tuple(
                    r.get("article_ids") or ([r["article_id"]] if r["article_id"] else [])
                ),
            )
        )
    return cases


def correct(case: Case, text: str, cited: Iterator[str] | tuple[str, ...]) -> bool:
    """An answer is correct when it holds a gold string (case- and space-insensitive)
    and, for the team-chat set, cites an article that states it."""
    body = _fold(text)
    found = any(_fold(a) in body for a in case.answers)
    if case.set == "squad":
        return found
    return found and any(c in case.articles for c in cited)


def judge(case: Case, answer: Answer) -> str:
    """``correct``, ``wrong`` (answered, not correct), or ``abstained``."""
    if not answer.answered:
        return "abstained"
    cited = tuple(c.article.article_id for c in answer.citations)
    ok = case.answerable and correct(case, answer.text, cited)
    return "correct" if ok else "wrong"


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
