"""``teambot discord``: run the Discord adapter."""

from __future__ import annotations

import argparse
from functools import partial
from typing import Any

from adapters.chat import run_app
from bot.bootstrap import Outlet, bootstrap
from bot.digest.schedule import Destination, Schedule, parse_destinations
from bot.errors import ScheduleError
from bot.logs import configure_logging
from bot.settings import load_settings


def register(subparsers: Any) -> None:
    """Adds ``discord`` to the ``teambot`` parser."""
    parser = subparsers.add_parser(
        "discord",
        help="run teambot in Discord",
        description="Connects to Discord with DISCORD_TOKEN. See the README, 'Connect to Discord'.",
    )
    parser.set_defaults(run=run_discord)


def run_discord(args: argparse.Namespace) -> int:
    """Runs until interrupted; exit 2 on a missing or rejected token."""
    from adapters import redact
    from adapters.discord.server import digest_poster, serve  # the SDK loads only here
    from adapters.discord.settings import load_discord_settings

    settings = load_settings()
    configure_logging(settings.log_level)
    discord_settings = load_discord_settings()
    redact.install([discord_settings.secret()])
    clients: list[Any] = []
    full = settings.digest_stories
    outlet = Outlet(
        "discord",
        partial(channel_destinations, discord_settings.digest_channels),
        digest_poster(clients, digest_stories=full),
    )
    app = bootstrap(settings, outlets=[outlet])

    run_app(
        app,
        lambda stop, ready: serve(
            app.bot,
            discord_settings,
            digest_stories=full,
            stop=stop,
            ready=ready,
            started=clients,
        ),
    )
    return 0


def channel_destinations(spec: str | None, default: Schedule) -> tuple[Destination, ...]:
    """Parses DISCORD_DIGEST_CHANNELS; channel ids must be numbers.

    Raises:
        ScheduleError: a malformed item or a channel id that is not a number.
    """
    found = parse_destinations(spec, "discord", default, setting="DISCORD_DIGEST_CHANNELS")
    for destination in found:
        if not destination.channel.isdigit():
            raise ScheduleError(
                f"invalid DISCORD_DIGEST_CHANNELS: {destination.channel!r} is not a channel id "
                "(a number: right-click the channel > Copy Channel ID)"
            )
    return found
