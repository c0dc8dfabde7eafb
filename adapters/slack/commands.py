"""``teambot slack``: run the Slack adapter."""

from __future__ import annotations

import argparse
import asyncio
import signal
from typing import Any

from bot.bootstrap import build_app, digest_defaults
from bot.cli import configure_logging
from bot.digest.schedule import parse_destinations
from bot.settings import load_settings


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
    destinations = parse_destinations(
        slack.digest_channels, "slack", digest_defaults(settings), setting="SLACK_DIGEST_CHANNELS"
    )
    app = build_app(settings, destinations=destinations, posters={"slack": digest_poster(slack)})

    async def main() -> None:
        stop, ready = asyncio.Event(), asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        server = asyncio.create_task(
            serve(app.bot, slack, host=args.host, port=args.port, stop=stop, ready=ready)
        )
        waiter = asyncio.create_task(ready.wait())
        await asyncio.wait({server, waiter}, return_when=asyncio.FIRST_COMPLETED)
        if ready.is_set():
            app.start()  # corpus watching and scheduled digests, once Slack accepted us
        waiter.cancel()
        await server

    try:
        asyncio.run(main())
    finally:
        app.close()
    return 0
