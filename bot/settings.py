"""All of teambot's core settings, read from the environment and ``.env``.

Adapters keep their own settings classes (with their own prefixes) beside them;
nothing else in the project reads ``os.environ``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

EngineName = Literal["bm25s", "rank-bm25"]
ENGINES: tuple[str, ...] = ("bm25s", "rank-bm25")
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]

#: The articles bundled with teambot, beside the packages in a source checkout.
BUNDLED_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


class Settings(BaseSettings):
    """Core settings; each field is ``TEAMBOT_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(
        env_prefix="TEAMBOT_", env_file=".env", extra="ignore", frozen=True
    )

    corpus: Path | None = Field(
        default=None, description="File or directory of articles; the bundled seeds when unset."
    )
    data_dir: Path = Field(default=Path(".teambot"), description="Index cache and state.")
    engine: EngineName = Field(default="bm25s", description="Search engine.")
    log_level: LogLevel = Field(default="WARNING", description="Logging threshold.")

    def corpus_path(self) -> Path:
        """The corpus to load: the configured one, else the bundled seeds."""
        return self.corpus if self.corpus is not None else BUNDLED_SEEDS


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
        name = prefix + "_".join(str(p) for p in err["loc"]).upper()
        expected = err.get("ctx", {}).get("expected")
        hint = f"expected {expected}" if expected else err["msg"]
        lines.append(f"invalid setting {name}: {hint}")
    return "; ".join(lines)
