"""Citation numbering, the one every formatter uses: by article, first cited first."""

from __future__ import annotations

from datetime import date

from adapters.citations import number_citations
from adapters.console.format import answer_text
from adapters.discord.format import answer_replies
from adapters.slack.format import answer_messages
from bot.models import Answer, ArticleRef, Citation

KLING = ArticleRef("a-kling", "Kling 3.0", "https://example.com/kling", "Wire", date(2026, 2, 5))
GLM = ArticleRef("a-glm", "GLM-5", "https://example.com/glm", None, None)
QWEN = ArticleRef("a-qwen", "Qwen", None, None, None)
CITATIONS = (
    Citation(GLM, "GLM-5 is open."),
    Citation(KLING, "Kling makes clips."),
    Citation(GLM, "It has 745B parameters."),
    Citation(QWEN, "Qwen follows."),
)


def test_number_citations_numbers_articles_in_the_order_first_cited() -> None:
    numbered = number_citations(CITATIONS)
    assert numbered.sources == ((1, GLM), (2, KLING), (3, QWEN))


def test_number_citations_repeats_an_articles_number_for_its_second_quote() -> None:
    numbered = number_citations(CITATIONS)
    assert numbered.quotes == (
        ("GLM-5 is open.", 1),
        ("Kling makes clips.", 2),
        ("It has 745B parameters.", 1),
        ("Qwen follows.", 3),
    )


def test_number_citations_of_nothing_is_empty() -> None:
    numbered = number_citations(())
    assert numbered.quotes == () and numbered.sources == ()


def test_every_formatter_shows_the_same_numbers() -> None:
    answer = Answer("q", True, " ".join(c.quote for c in CITATIONS), CITATIONS)
    expected = "GLM-5 is open. [1] Kling makes clips. [2] It has 745B parameters. [1]"

    console = answer_text(answer)
    assert expected in " ".join(console.split())
    assert console.index("[1] GLM-5") < console.index("[2] Kling 3.0") < console.index("[3] Qwen")

    slack = answer_messages(answer)[0]["blocks"]
    assert expected in slack[0]["text"]["text"]
    assert [e["text"][:3] for e in slack[1]["elements"]] == ["[1]", "[2]", "[3]"]
    assert "GLM-5" in slack[1]["elements"][0]["text"]

    embed = answer_replies(answer)[0].embeds[0]
    assert expected in embed["description"]
    assert [f["name"] for f in embed["fields"]] == ["[1]", "[2]", "[3]"]
    assert "Kling 3.0" in embed["fields"][1]["value"]
