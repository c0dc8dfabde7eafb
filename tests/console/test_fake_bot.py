"""The console session runs against any ``Bot``: here a ``FakeBot`` with canned replies."""

from __future__ import annotations

from datetime import date

from adapters.console.session import ConsoleSession
from bot.errors import QuestionError
from bot.fake import FakeBot
from bot.models import Answer, ArticleRef, Citation
from bot.protocol import Bot
from bot.service import TeamBot

REF = ArticleRef("rynn", "RynnBrain ships", "https://example.com/rynn", None, date(2026, 2, 1))


def _answer(question: str) -> Answer:
    quote = "RynnBrain has 30 billion parameters."
    return Answer(question, True, quote, citations=(Citation(REF, quote),), confidence=0.9)


def test_session_shows_the_fake_bots_answer_with_its_source() -> None:
    fake = FakeBot(answer=_answer)
    seen = ConsoleSession(fake, digest_stories=10).ask("how big is rynnbrain")
    assert "30 billion parameters" in seen and "RynnBrain ships" in seen
    assert fake.calls == [("ask", "how big is rynnbrain")]


def test_session_turns_the_fake_bots_error_into_its_message() -> None:
    def refuse(question: str) -> Answer:
        raise QuestionError("the question is empty")

    seen = ConsoleSession(FakeBot(answer=refuse), digest_stories=10).ask("x")
    assert "the question is empty" in seen


def test_session_help_is_the_fake_bots_help_rendered() -> None:
    fake = FakeBot(articles=(REF,))
    seen = ConsoleSession(fake, digest_stories=10).ask("/help")
    assert "I know 1 article. Type a question" in seen and "/digest [DATE]" in seen
    assert fake.calls == [("help", None)]


def test_fake_and_real_bots_both_fit_the_protocol(seeds_bot: TeamBot) -> None:
    bots: list[Bot] = [FakeBot(), seeds_bot]  # mypy checks the fit; this checks it runs
    for bot in bots:
        assert bot.search("rynnbrain", 1).query == "rynnbrain"
        assert bot.clock().tzinfo is not None
        info = bot.help()
        assert info.articles == len(bot.sources())
        assert info.command("digest").forms == ("today", "yesterday", "YYYY-MM-DD")
