"""Discord rendering: escaping, mentions, limits and splitting. Pure functions."""

from __future__ import annotations

from datetime import date

from adapters.discord import format as fmt
from bot.models import Answer, ArticleRef, Citation
from tests.adapters.help_value import ODD_HELP

REF = ArticleRef("a1", "Kling *3.0*", "https://k.example/a", "k.example", date(2026, 2, 7))
BARE = ArticleRef("b2", "Plain [title]", None, None, None)


def test_escape_markdown_and_defuse_mentions() -> None:
    assert fmt.escape("**x** _y_ `z` |s| [l](u) @everyone") == (
        "\\*\\*x\\*\\* \\_y\\_ \\`z\\` \\|s\\| \\[l\\](u) @\u200beveryone"
    )
    assert fmt.escape("> quote\n# head\n- item") == "\\> quote\n\\# head\n\\- item"
    assert fmt.escape("GLM-5 (2026-02-14)") == "GLM-5 (2026-02-14)"


def test_strip_mentions() -> None:
    assert fmt.strip_mentions("<@100> <@!101> <@&5> <#6> @everyone @here GLM-5?") == "GLM-5?"


def test_source_value_links_or_plain_title() -> None:
    assert (
        fmt.source_value(REF) == "[Kling \\*3.0\\*](https://k.example/a) · k.example · 2026-02-07"
    )
    assert fmt.source_value(BARE) == "Plain \\[title\\]"


def test_answer_embed_numbers_sources() -> None:
    answer = Answer("q", True, "One. Two.", (Citation(REF, "One."), Citation(BARE, "Two.")))
    (reply,) = fmt.answer_replies(answer)
    (embed,) = reply.embeds
    assert embed["description"] == "One. [1] Two. [2]"
    assert [f["name"] for f in embed["fields"]] == ["[1]", "[2]"]


def test_not_sure_tier_quotes_each_passage_in_a_field() -> None:
    related = (Citation(REF, "Kling *makes* clips."), Citation(BARE, "x" * 3000))
    answer = Answer(
        "q", False, "I couldn't find a direct answer; the closest passages are:", related=related
    )
    (reply,) = fmt.answer_replies(answer)
    (embed,) = reply.embeds
    assert embed["description"].startswith("I couldn't find a direct answer")
    assert [f["name"] for f in embed["fields"]] == ["Closest passage 1", "Closest passage 2"]
    first = embed["fields"][0]["value"]
    assert first.startswith("> Kling \\*makes\\* clips.\n")
    assert all(len(f["value"]) <= fmt.FIELD_VALUE_CHARS for f in embed["fields"])


def test_long_text_reply_is_cut_to_the_content_limit() -> None:
    (reply,) = fmt.text_reply("x" * 5000)
    assert len(reply.content) == fmt.CONTENT_CHARS and reply.content.endswith("…")


def test_env_example_lists_every_discord_setting() -> None:
    from adapters.discord.settings import DiscordSettings
    from bot.settings import BUNDLED_SEEDS

    example = (BUNDLED_SEEDS.parent / ".env.example").read_text()
    for name in DiscordSettings.model_fields:
        assert f"DISCORD_{name.upper()}=" in example


def test_no_message_content_intent_and_no_allowed_mentions() -> None:
    from adapters.discord.client import NO_MENTIONS, PERMISSIONS, intents

    chosen = intents()
    assert not chosen.message_content and chosen.guild_messages and chosen.dm_messages
    assert NO_MENTIONS.to_dict() == {"parse": []}
    assert (
        PERMISSIONS.view_channel
        and PERMISSIONS.send_messages
        and PERMISSIONS.send_messages_in_threads
    )
    assert (
        PERMISSIONS.embed_links
        and PERMISSIONS.read_message_history
        and not PERMISSIONS.administrator
    )


def test_a_parenthesis_in_a_url_cannot_break_out_of_the_link() -> None:
    evil = ArticleRef(
        "e", "Kling", "https://x.example/a) @everyone [prize](https://evil.example", None, None
    )
    assert fmt.source_value(evil) == (
        "[Kling](https://x.example/a%29%20%40everyone%20%5Bprize%5D%28https://evil.example)"
    )


def test_only_web_urls_that_parse_become_links() -> None:
    for url in (
        "javascript:alert(1)",
        "http://[x",
        "https://",
        "//evil.example",
        "ftp://x.example",
    ):
        assert fmt.source_value(ArticleRef("e", "Kling", url, None, None)) == "Kling"


def test_a_link_too_long_for_its_field_is_dropped_never_cut() -> None:
    huge = ArticleRef("h", "Kling", "https://x.example/" + "p" * 2000, "k.example", None)
    assert fmt.source_value(huge) == "Kling · k.example"


def test_channel_mentions_timestamps_and_bare_urls_in_text_are_inert() -> None:
    escaped = fmt.escape("see <#123> at <t:1:R> via </ask:9> or https://evil.example <:e:1>")
    assert "<#" not in escaped and "<t:" not in escaped and "</" not in escaped
    assert "<:" not in escaped and "https://" not in escaped
    assert escaped.replace("\u200b", "") == (
        "see <#123> at <t:1:R> via </ask:9> or https://evil.example <:e:1>"
    )


def test_sources_are_one_page_newest_first_with_a_more_button() -> None:
    from adapters.digest_pages import SOURCES_PAGE, read_sources_token

    articles = [
        ArticleRef(f"a{n}", f"Title {n}", f"https://x.example/{n}", "x.example", None)
        for n in range(20_000)
    ]
    (reply,) = fmt.sources_replies(articles)
    (embed,) = reply.embeds
    assert embed["title"] == "20,000 articles, newest first (1–20):"
    lines = embed["description"].split("\n")
    assert len(lines) == SOURCES_PAGE
    assert lines[0] == "1. [Title 0](https://x.example/0) · x.example"
    assert reply.more is not None and read_sources_token(reply.more) == SOURCES_PAGE
    (second,) = fmt.sources_replies(articles, SOURCES_PAGE)
    assert second.embeds[0]["description"].startswith("21. [Title 20](https://x.example/20)")
    (last,) = fmt.sources_replies(articles, 19_990)
    assert last.more is None


def test_a_page_of_sources_with_huge_titles_stays_within_an_embed() -> None:
    articles = [
        ArticleRef(f"a{n}", "[T]" * 3000, f"https://x.example/{'p' * 900}", "s" * 3000, None)
        for n in range(50)
    ]
    (reply,) = fmt.sources_replies(articles)
    (embed,) = reply.embeds
    assert len(embed["description"]) <= fmt.DESCRIPTION_CHARS
    assert fmt.embed_size(embed) <= fmt.MESSAGE_EMBED_CHARS and reply.more is not None


def test_help_renders_the_cores_commands_in_discord_syntax() -> None:
    raw = fmt.help_text(ODD_HELP)
    assert raw.startswith("I read the newsletter & answer <questions>.\n\nI know 1,234 articles.\n")
    assert "• Ask: mention me with a query text, send me a DM, or use /ask query text: …" in raw
    assert "• /digest [day: today or DD.MM.]: what came out\n• /sources: the whole shelf\n" in raw
    assert raw.endswith("• help: this text") and "/search" not in raw
    (reply,) = fmt.render(ODD_HELP)
    assert reply.content == fmt.cut(fmt.escape(raw), fmt.CONTENT_CHARS) and not reply.embeds
