"""Settings come from the environment and .env, validated with clear messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from adapters.console.settings import ConsoleSettings, load_console_settings
from adapters.discord.settings import DiscordSettings
from adapters.slack.settings import SlackSettings
from bot.errors import ConfigError
from bot.settings import BUNDLED_SEEDS, Settings, load_settings


def test_defaults_use_bundled_seeds_and_bm25() -> None:
    settings = load_settings()
    assert settings.corpus_path() == BUNDLED_SEEDS
    assert settings.engine == "bm25"
    assert settings.data_dir == Path(".teambot")


def test_environment_and_dotenv_are_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TEAMBOT_ENGINE=rank-bm25\nTEAMBOT_DATA_DIR=/tmp/x\n")
    monkeypatch.setenv("TEAMBOT_CORPUS", "/some/corpus")
    settings = load_settings()
    assert settings.engine == "rank-bm25"
    assert settings.data_dir == Path("/tmp/x")
    assert settings.corpus_path() == Path("/some/corpus")


def test_command_line_overrides_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAMBOT_ENGINE", "rank-bm25")
    assert load_settings(engine="bm25s", corpus=None).engine == "bm25"  # the old name


def test_invalid_value_names_setting_and_accepted_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAMBOT_ENGINE", "lucene")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value) == "invalid setting TEAMBOT_ENGINE: expected 'bm25' or 'rank-bm25'"


@pytest.mark.parametrize(
    "settings_class", [Settings, ConsoleSettings, SlackSettings, DiscordSettings]
)
def test_env_example_lists_every_setting(settings_class: type[BaseSettings]) -> None:
    example = (BUNDLED_SEEDS.parent / ".env.example").read_text()
    prefix = settings_class.model_config["env_prefix"]
    for name in settings_class.model_fields:
        assert f"{prefix}{name.upper()}=" in example


def test_console_digest_is_the_console_adapters_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAMBOT_CONSOLE_DIGEST", "on")
    assert load_console_settings().digest == "on"
    assert not any(name.startswith("console") for name in Settings.model_fields)
    assert load_settings().digest_time == "08:00"  # the core ignores the console's variable


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TEAMBOT_DIGEST_TIME", "8am", "invalid setting TEAMBOT_DIGEST_TIME '8am': expected HH:MM"),
        ("TEAMBOT_DIGEST_DAYS", "someday", "invalid setting TEAMBOT_DIGEST_DAYS: 'someday'"),
        ("TEAMBOT_DIGEST_EMPTY", "maybe", "invalid setting TEAMBOT_DIGEST_EMPTY: expected 'post'"),
        ("TEAMBOT_TIMEZONE", "Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
        ("TEAMBOT_STATE_URL", "mysql://x", "expected postgresql://… or sqlite:///path"),
        ("TEAMBOT_RELOAD_SECONDS", "0", "TEAMBOT_RELOAD_SECONDS"),
    ],
)
def test_digest_settings_are_refused_at_start(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings()


def test_digest_stories_defaults_to_ten_and_reads_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load_settings().digest_stories == 10
    monkeypatch.setenv("TEAMBOT_DIGEST_STORIES", "3")
    assert load_settings().digest_stories == 3
    monkeypatch.setenv("TEAMBOT_DIGEST_STORIES", "0")  # one line for every story
    assert load_settings().digest_stories == 0


@pytest.mark.parametrize("value", ["ten", "-1", "51", "2.5", ""])
def test_bad_digest_stories_is_refused_naming_what_is_accepted(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("TEAMBOT_DIGEST_STORIES", value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value) == (
        "invalid setting TEAMBOT_DIGEST_STORIES: expected a whole number of stories "
        f"from 0 to 50, got {value!r}"
    )
