"""All of teambot's core settings, read from the environment and ``.env``.

Adapters keep their own settings classes (with their own prefixes) beside them;
nothing else in the project reads ``os.environ``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.clock import zone_info
from bot.digest.schedule import default_schedule
from bot.errors import ConfigError
from bot.state.url import POSTGRES_SCHEMES, SQLITE_SCHEME, check_postgres_url, is_postgres

EngineName = Literal["bm25", "rank-bm25"]
#: The search engines (``bot.search.engines`` scores with them).
ENGINES: tuple[str, ...] = ("bm25", "rank-bm25")
#: ``bm25s`` named the default engine while it was built with the bm25s package;
#: the scores are the same, so a setting that still says it keeps working.
_ENGINE_ALIASES = {"bm25s": "bm25"}
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]

#: The articles bundled with teambot, beside the packages in a source checkout.
BUNDLED_SEEDS = Path(__file__).resolve().parent.parent / "seeds"
#: The same articles in an installed wheel, which carries them inside the package
#: (setup.py maps the checkout's top-level ``seeds/`` to ``bot/seeds``).
PACKAGED_SEEDS = Path(__file__).resolve().parent / "seeds"

#: Stories a digest shows in full (the rest get one line each): the default the
#: digest-size issue asks for.
DIGEST_STORIES = 10
#: The most TEAMBOT_DIGEST_STORIES accepts. Past fifty a digest is the whole feed,
#: and the stories in full alone would fill Slack's and Discord's message caps.
MAX_DIGEST_STORIES = 50


class Settings(BaseSettings):
    """Core settings; each field is ``TEAMBOT_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(
        env_prefix="TEAMBOT_", env_file=".env", extra="ignore", frozen=True
    )

    corpus: Path | None = Field(
        default=None, description="File or directory of articles; the bundled seeds when unset."
    )
    data_dir: Path = Field(default=Path(".teambot"), description="Index cache and state.")
    engine: EngineName = Field(default="bm25", description="Search engine.")
    log_level: LogLevel = Field(default="WARNING", description="Logging threshold.")
    timezone: str = Field(default="UTC", description="IANA time zone for digest days.")
    state_url: str | None = Field(
        default=None, description="postgresql://… for shared state; SQLite in data_dir if unset."
    )
    reload_seconds: float = Field(
        default=30.0,
        ge=1.0,
        le=3600.0,
        description="How often a running bot scans the corpus when it polls (see watch).",
    )
    watch: Literal["auto", "poll"] = Field(
        default="auto",
        description="auto: the OS reports corpus changes (polling where it cannot); poll: scan.",
    )
    digest_grace_hours: float = Field(
        default=12.0, ge=0.0, le=168.0, description="How late a missed digest is still posted."
    )
    digest_time: str = Field(default="08:00", description="Default digest time of day.")
    digest_days: str = Field(default="daily", description="Default digest days.")
    digest_empty: Literal["post", "skip"] = Field(
        default="post", description="Post a 'nothing new' note on an empty day, or skip it."
    )
    digest_stories: int = Field(
        default=DIGEST_STORIES,
        description="Stories a digest shows in full; each other story gets one line.",
    )
    embed_model: str = Field(
        default="bundled",
        description="Static embedding model for dense retrieval: bundled, a folder, a "
        "fastembed model name, or off.",
    )
    rerank_model: str = Field(
        default="bundled",
        description="Sentence-embedding model that reranks answer sentences: bundled, a "
        "folder, a fastembed model name, or off.",
    )

    @field_validator("engine", mode="before")
    @classmethod
    def _engine_alias(cls, value: Any) -> Any:
        return _ENGINE_ALIASES.get(value, value) if isinstance(value, str) else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        zone_info(value)
        return value

    @field_validator("digest_stories", mode="before")
    @classmethod
    def _story_count(cls, value: object) -> int:
        return story_count(value)

    @field_validator("state_url")
    @classmethod
    def _supported_url(cls, value: str | None) -> str | None:
        if value and not value.startswith((*POSTGRES_SCHEMES, SQLITE_SCHEME)):
            raise ValueError("expected postgresql://… or sqlite:///path")
        if value and is_postgres(value):
            check_postgres_url(value)  # refused here, at start-up, not at the first digest
        return value or None

    @model_validator(mode="after")
    def _valid_digest_defaults(self) -> Settings:
        try:
            default_schedule(
                self.digest_time,
                self.zone(),
                self.digest_days,
                self.digest_empty,
                prefix="TEAMBOT_",
            )
        except ConfigError as exc:
            raise ValueError(str(exc).removeprefix("invalid ")) from None
        return self

    def zone(self) -> ZoneInfo:
        """The configured time zone."""
        return zone_info(self.timezone)

    def corpus_path(self) -> Path:
        """The corpus to load: the configured one, else the bundled seeds."""
        return self.corpus if self.corpus is not None else bundled_seeds()


def bundled_seeds() -> Path:
    """The bundled articles: inside the package when installed from a wheel, else in
    the source checkout."""
    return PACKAGED_SEEDS if PACKAGED_SEEDS.is_dir() else BUNDLED_SEEDS


def story_count(value: object) -> int:
    """A number of stories to show in full: a whole number from 0 to ``MAX_DIGEST_STORIES``.

    Raises:
        ValueError: anything else; the message says what is accepted.
    """
    text = str(value).strip() if isinstance(value, int | str) else ""
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()):
        text = ""
    if not text or int(text) > MAX_DIGEST_STORIES:
        raise ValueError(
            f"expected a whole number of stories from 0 to {MAX_DIGEST_STORIES}, got {value!r}"
        )
    return int(text)


def load_settings(**overrides: Any) -> Settings:
    """Reads settings, with command-line ``overrides`` (``None`` values ignored).

    Raises:
        ConfigError: a value is invalid; the message names the setting and what it accepts.
    """
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc, prefix="TEAMBOT_")) from None


def describe_validation_error(exc: ValidationError, *, prefix: str) -> str:
    """One readable line per invalid setting, without echoing secret values."""
    lines = []
    for err in exc.errors():
        expected = err.get("ctx", {}).get("expected")
        hint = f"expected {expected}" if expected else err["msg"].removeprefix("Value error, ")
        if not err["loc"]:  # a check across fields names its setting itself
            lines.append(f"invalid setting {hint}")
            continue
        name = prefix + "_".join(str(p) for p in err["loc"]).upper()
        lines.append(f"invalid setting {name}: {hint}")
    return "; ".join(lines)
