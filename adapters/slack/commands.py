"""``teambot slack``: run the Slack adapter."""

from __future__ import annotations

import argparse
from functools import partial
from typing import TYPE_CHECKING, Any

from adapters.chat import run_app
from bot.bootstrap import Outlet, bootstrap
from bot.digest.schedule import Destination, Schedule, parse_destinations
from bot.logs import configure_logging
from bot.settings import load_settings

if TYPE_CHECKING:
    from adapters.slack.settings import SlackSettings


def register(subparsers: Any) -> None:
    """Adds ``slack`` to the ``teambot`` parser."""
    parser = subparsers.add_parser(
        "slack",
        help="run teambot in Slack",
        description=(
            "Connects to Slack: Socket Mode when SLACK_APP_TOKEN is set, otherwise an HTTP "
            "server for Slack's requests at POST /slack/events. See the README, 'Connect to Slack'."
        ),
    )
    parser.add_argument("--port", type=int, default=3000, help="HTTP mode port (default 3000)")
    parser.add_argument("--host", default="0.0.0.0", help="HTTP mode address (default 0.0.0.0)")
    parser.set_defaults(run=run_slack)


def run_slack(args: argparse.Namespace) -> int:
    """Runs until interrupted; exit 2 on missing or rejected credentials."""
    # The SDKs load only when Slack is actually used: the rest of the CLI stays fast.
    from adapters import redact
    from adapters.slack.server import digest_poster, serve
    from adapters.slack.settings import load_slack_settings

    settings = load_settings()
    configure_logging(settings.log_level)
    slack = load_slack_settings()
    redact.install(slack.secrets())
    full = settings.digest_stories
    outlet = Outlet("slack", partial(channels, slack), digest_poster(slack, digest_stories=full))
    app = bootstrap(settings, outlets=[outlet])

    run_app(
        app,
        lambda stop, ready: serve(
            app.bot,
            slack,
            host=args.host,
            port=args.port,
            digest_stories=full,
            stop=stop,
            ready=ready,
        ),
    )
    return 0


def channels(slack: SlackSettings, default: Schedule) -> tuple[Destination, ...]:
    """Parses SLACK_DIGEST_CHANNELS.

    Raises:
        ScheduleError: a malformed item.
    """
    return parse_destinations(
        slack.digest_channels, "slack", default, setting="SLACK_DIGEST_CHANNELS"
    )
