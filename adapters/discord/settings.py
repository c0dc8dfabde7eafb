"""Discord settings: ``DISCORD_*`` in the environment or ``.env``."""

from __future__ import annotations

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError
from bot.settings import describe_validation_error

DISCORD_API = "https://discord.com/api/v10"
DISCORD_GATEWAY = "wss://gateway.discord.gg/"
# discord.py's default: after READY, how long to wait for one more GUILD_CREATE before
# on_ready. Tests against a fake server that sends its one guild at once set less.
GUILD_READY_TIMEOUT = 2.0


class DiscordSettings(BaseSettings):
    """How teambot connects to Discord."""

    model_config = SettingsConfigDict(
        env_prefix="DISCORD_", env_file=".env", extra="ignore", frozen=True
    )

    token: SecretStr | None = Field(default=None, description="The bot token.")
    guild_id: int | None = Field(default=None, description="Sync slash commands to one server.")
    digest_channels: str | None = Field(default=None, description="CHANNEL_ID[@SCHEDULE]; …")
    api_url: str = Field(default=DISCORD_API, description="REST base URL.")
    gateway_url: str = Field(default=DISCORD_GATEWAY, description="Gateway websocket URL.")
    rate_limit: int = Field(default=10, ge=1, le=1000, description="Questions per user a minute.")
    guild_ready_timeout: float = Field(
        default=GUILD_READY_TIMEOUT, ge=0, le=60, description="Seconds to wait for guilds."
    )

    @field_validator("token", "guild_id", "digest_channels", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """``DISCORD_GUILD_ID=`` (as in .env.example) means not set."""
        return None if isinstance(value, str) and not value.strip() else value

    def secret(self) -> str:
        """The token's value ('' when unset)."""
        return self.token.get_secret_value() if self.token else ""


def load_discord_settings() -> DiscordSettings:
    """Reads and validates the Discord settings.

    Raises:
        ConfigError: a value is invalid, or DISCORD_TOKEN is missing.
    """
    try:
        settings = DiscordSettings()
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc, prefix="DISCORD_")) from None
    if not settings.secret().strip():
        raise ConfigError("DISCORD_TOKEN is not set: the bot token from your Discord application")
    return settings
