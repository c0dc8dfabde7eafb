"""Rate limits (ours and Slack's), injection, digests and start-up failures."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from adapters.slack.server import digest_poster
from bot.bootstrap import build_bot
from bot.digest.schedule import Destination, Schedule
from bot.digest.window import whole_days
from bot.models import ArticleRef, Digest, Story
from bot.service import TeamBot
from tests.conftest import settings_for
from tests.scheduled_runs import first_run
from tests.slack.conftest import BOT_TOKEN, Running, live, shutdown, slack_settings, start
from tests.slack.fake_slack import BAD_TOKEN, FakeSlack, LoopThread
from tests.slack.test_http_mode import _texts


@pytest.fixture
def limited(loop: LoopThread, fake: FakeSlack, seeds_bot: TeamBot) -> Iterator[Running]:
    running = start(loop, fake, live(seeds_bot), slack_settings(fake, rate_limit=2))
    yield running
    shutdown(running)


def test_per_user_rate_limit_is_a_friendly_note(limited: Running) -> None:
    for _ in range(2):
        assert limited.command("/ask", "What is a VLA model?", user="U7")[1] == ""
    status, body, _ = limited.command("/ask", "What is a VLA model?", user="U7")
    assert status == 200 and "asking faster than I can keep up" in body
    assert limited.command("/ask", "What is a VLA model?", user="U8")[1] == ""  # others unaffected
    assert len(limited.wait("responses", 3)) == 3


def test_slack_429_is_retried_after_retry_after(limited: Running) -> None:
    limited.fake.ratelimit_next = 1
    limited.event(
        {
            "type": "app_mention",
            "user": "U1",
            "text": "<@UBOT> What is a VLA model?",
            "channel": "C1",
            "ts": "700.1",
        },
        event_id="Ev429",
    )
    (post,) = limited.wait("posts", 1, timeout=30)
    assert "Vision-language-action" in _texts(post)
    attempts = [c for c in limited.fake.calls if c[0] == "chat.postMessage"]
    assert len(attempts) == 2


@pytest.fixture
def injected(
    loop: LoopThread, fake: FakeSlack, tmp_path: Path, answers_with_top_passage: None
) -> Iterator[Running]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.md").write_text(
        "Kling 9 <!channel> News\n\n<!everyone> Kuaishou shipped Kling 9 with <@U123> 120s clips "
        "& more <https://evil.example|click>.\n"
    )
    bot = build_bot(settings_for(corpus, tmp_path / "data"))
    running = start(loop, fake, live(bot), slack_settings(fake))
    yield running
    shutdown(running)


def test_article_and_question_text_cannot_mention_or_break_messages(injected: Running) -> None:
    injected.command("/ask", "<!here> how long are Kling 9 clips? <@U999>")
    injected.command("/sources", "")
    for response in injected.wait("responses", 2):
        text = _texts(response)
        for raw in ("<!channel>", "<!everyone>", "<!here>", "<@U123>", "<@U999>", "<https://evil"):
            assert raw not in text
    answer = _texts(injected.fake.responses[0]) + _texts(injected.fake.responses[1])
    assert "&lt;!everyone&gt;" in answer and "&amp; more" in answer


def test_scheduled_digest_is_posted_to_its_channel(
    fake: FakeSlack, loop: LoopThread, seeds_bot: TeamBot
) -> None:
    post = digest_poster(slack_settings(fake), digest_stories=10)
    digest = seeds_bot.digest(whole_days(date(2026, 2, 14), date(2026, 2, 14), ZoneInfo("UTC")))
    due = datetime(2026, 2, 14, 8, 0, tzinfo=UTC)
    post(Destination("slack", "C42", Schedule(time(8, 0), ZoneInfo("UTC"))), digest, first_run(due))
    (message,) = loop.run(fake.wait_for("posts", 1))
    assert message["channel"] == "C42"
    assert "Digest for 2026-02-14: 1 story" in _texts(message)


def test_long_digest_is_split_across_messages(fake: FakeSlack, loop: LoopThread) -> None:
    ref = ArticleRef("a", "A title", "https://x.example/a", "x.example", date(2026, 2, 1))
    stories = tuple(Story(f"Story {n}", "Summary. " * 40, ("Kling",), (ref,)) for n in range(30))
    now = datetime(2026, 2, 2, tzinfo=UTC)
    post = digest_poster(slack_settings(fake), digest_stories=30)  # all thirty in full
    post(
        Destination("slack", "C1", Schedule(time(8, 0), ZoneInfo("UTC"))),
        Digest(now, now, stories),
        first_run(now),
    )
    posts = loop.run(fake.wait_for("posts", 3))
    assert all(len(p["blocks"]) <= 50 for p in posts)
    joined = " ".join(_texts(p) for p in posts)
    assert joined.index("1. Story 0") < joined.index("30. Story 29")


def _run_slack(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAMBOT_"))}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", "slack"],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SLACK_BOT_TOKEN is not set"),
        (
            {"SLACK_BOT_TOKEN": BOT_TOKEN},
            "set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET",
        ),
    ],
)
@pytest.mark.usefixtures("cached_index")  # tmp_path: the seeds' index, cached
def test_missing_tokens_exit_2_naming_them(
    env: dict[str, str], message: str, tmp_path: Path
) -> None:
    out = _run_slack({**env, "TEAMBOT_DATA_DIR": str(tmp_path)})
    assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize(
    ("env", "message", "secret"),
    [
        (
            {"SLACK_BOT_TOKEN": BAD_TOKEN, "SLACK_SIGNING_SECRET": "sig-secret-999999"},
            "Slack rejected SLACK_BOT_TOKEN (invalid_auth)",
            BAD_TOKEN,
        ),
        (
            {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "not-an-app-token-777"},
            "Slack rejected SLACK_APP_TOKEN (invalid_auth)",
            "not-an-app-token-777",
        ),
    ],
)
@pytest.mark.usefixtures("cached_index")  # tmp_path: the seeds' index, cached
def test_rejected_tokens_exit_2_without_showing_them(
    fake: FakeSlack, tmp_path: Path, env: dict[str, str], message: str, secret: str
) -> None:
    out = _run_slack(
        {
            **env,
            "SLACK_API_URL": fake.api_url,
            "TEAMBOT_DATA_DIR": str(tmp_path),
            "TEAMBOT_LOG_LEVEL": "DEBUG",
        }
    )
    assert out.returncode == 2, out.stderr
    assert message in out.stderr and "Traceback" not in out.stderr
    assert secret not in out.stderr + out.stdout
