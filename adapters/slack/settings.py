"""Slack settings: ``SLACK_*`` in the environment or ``.env``."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError
from bot.settings import describe_validation_error

SLACK_API = "https://slack.com/api/"


class SlackSettings(BaseSettings):
    """How teambot connects to one Slack workspace."""

    model_config = SettingsConfigDict(
        env_prefix="SLACK_", env_file=".env", extra="ignore", frozen=True
    )

    bot_token: SecretStr | None = Field(default=None, description="xoxb-… bot token.")
    app_token: SecretStr | None = Field(default=None, description="xapp-… token: Socket Mode.")
    signing_secret: SecretStr | None = Field(default=None, description="HTTP mode request signing.")
    api_url: str = Field(default=SLACK_API, description="Web API base URL.")
    digest_channels: str | None = Field(default=None, description="CHANNEL[@SCHEDULE]; …")
    answer_visibility: Literal["in_channel", "ephemeral"] = Field(
        default="in_channel", description="Slash-command answers: whole channel, or asker only."
    )
    rate_limit: int = Field(default=10, ge=1, le=1000, description="Questions per user a minute.")

    @field_validator("bot_token", "app_token", "signing_secret", "digest_channels", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """``SLACK_APP_TOKEN=`` (as in .env.example) means not set, not an empty token."""
        return None if isinstance(value, str) and not value.strip() else value

    def secrets(self) -> list[str]:
        """Every configured secret value, for redaction."""
        values = (self.bot_token, self.app_token, self.signing_secret)
        return [v.get_secret_value() for v in values if v is not None and v.get_secret_value()]


def load_slack_settings() -> SlackSettings:
    """Reads and validates the Slack settings.

    Raises:
        ConfigError: a value is invalid, or the tokens needed to run are missing.
    """
    try:
        settings = SlackSettings()
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc, prefix="SLACK_")) from None
    if settings.bot_token is None or not settings.bot_token.get_secret_value().strip():
        raise ConfigError("SLACK_BOT_TOKEN is not set: the bot token (xoxb-…) from your Slack app")
    if settings.app_token is None and settings.signing_secret is None:
        raise ConfigError(
            "set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode); neither is set"
        )
    return settings
