"""The Q&A set over the bundled seeds: right facts with sources, and abstentions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.service import TeamBot

QA = json.loads((Path(__file__).parent.parent / "fixtures" / "qa_seeds.json").read_text())


def _norm(text: str) -> str:
    return text.replace(",", "").replace("’", "'").lower()


@pytest.mark.parametrize("case", QA["answerable"], ids=lambda c: c["q"])
def test_answer_states_fact_and_cites_its_source(seeds_bot: TeamBot, case: dict[str, Any]) -> None:
    answer = seeds_bot.ask(case["q"])
    assert answer.answered, f"abstained on {case['q']!r}"
    first = answer.citations[0]
    assert _norm(case["expect"]) in _norm(first.quote)
    sources = case["source"] if isinstance(case["source"], list) else [case["source"]]
    assert first.article.article_id[:3] in sources
    assert first.quote in answer.text


@pytest.mark.parametrize("question", QA["off_topic"])
def test_answer_abstains_on_off_topic_question(seeds_bot: TeamBot, question: str) -> None:
    answer = seeds_bot.ask(question)
    assert not answer.answered
    assert answer.citations == ()
    assert "don't answer" in answer.text


@pytest.mark.parametrize("question", QA["not_in_corpus"])
def test_answer_abstains_when_articles_lack_the_fact(seeds_bot: TeamBot, question: str) -> None:
    assert not seeds_bot.ask(question).answered


def test_qa_set_is_large_enough() -> None:
    assert len(QA["answerable"]) >= 30
    assert len(QA["off_topic"]) >= 10
