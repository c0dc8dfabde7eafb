"""Console settings: ``TEAMBOT_CONSOLE_*`` in the environment or ``.env``."""

from __future__ import annotations

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.digest.schedule import Destination, Schedule, parse_schedule
from bot.errors import ConfigError
from bot.settings import describe_validation_error

PREFIX = "TEAMBOT_CONSOLE_"
_OFF = ("", "off", "no", "false", "0")
_ON = ("on", "yes", "true", "1")


class ConsoleSettings(BaseSettings):
    """What ``teambot console`` does besides answering; each field is ``TEAMBOT_CONSOLE_<NAME>``."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_file=".env", extra="ignore", frozen=True
    )

    digest: str | None = Field(
        default=None, description="Console digest schedule, e.g. '08:00 Europe/Paris mon-fri'."
    )

    def destinations(self, default: Schedule) -> tuple[Destination, ...]:
        """The console's digest destination, when ``TEAMBOT_CONSOLE_DIGEST`` is set: ``on``
        for ``default``, or a schedule whose missing words come from it.

        Raises:
            ScheduleError: a malformed schedule.
        """
        spec = (self.digest or "").strip()
        if spec.lower() in _OFF:
            return ()
        on = spec.lower() in _ON
        schedule = default if on else parse_schedule(spec, default, setting=f"{PREFIX}DIGEST")
        return (Destination("console", "terminal", schedule),)


def load_console_settings() -> ConsoleSettings:
    """Reads and validates the console settings.

    Raises:
        ConfigError: a value is invalid; the message names the setting.
    """
    try:
        return ConsoleSettings()
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc, prefix=PREFIX)) from None
