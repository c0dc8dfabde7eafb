"""The terminal commands: ``ask``, ``search`` and ``console``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from adapters.console import format as fmt
from adapters.console.repl import run_repl
from adapters.console.session import ConsoleSession
from adapters.console.settings import load_console_settings
from bot.answer.extract import check_question
from bot.bootstrap import Outlet, bootstrap
from bot.clock import utc_now
from bot.digest.schedule import Destination
from bot.digest.scheduler import Post, Run
from bot.digest.window import DayFields, requested
from bot.errors import QuestionError
from bot.logs import configure_logging
from bot.models import Digest
from bot.settings import ENGINES, Settings, load_settings

EXIT_OK = 0
EXIT_BAD_INPUT = 2
#: ``teambot digest``'s day options, as window errors name them.
DAY_OPTIONS = DayFields(on="--date", since="--since", until="--until")


def register(subparsers: Any) -> None:
    """Adds the terminal commands to the ``teambot`` parser."""
    ask = subparsers.add_parser(
        "ask",
        help="answer a question from the articles",
        description="Answers a question with short quotes from the articles and their sources.",
    )
    ask.add_argument("question", metavar="QUESTION", help="the question; - reads one per line")
    _common(ask, engine=True)
    ask.set_defaults(run=run_ask)

    search = subparsers.add_parser(
        "search",
        help="list the articles that best match a query",
        description="Lists the best-matching articles, one hit each, with its best passage.",
    )
    search.add_argument("query", metavar="QUERY", help="the query; - reads one per line")
    search.add_argument("-k", type=_positive_int, default=5, metavar="N", help="hits (default 5)")
    _common(search, engine=True)
    search.set_defaults(run=run_search)

    digest = subparsers.add_parser(
        "digest",
        help="the stories new in a window (default: the last 24 hours)",
        description=(
            "Groups the articles of a window into stories. --date and --since/--until pick "
            "days (in TEAMBOT_TIMEZONE; --until inclusive) by published date where known; "
            "the default is what entered the corpus in the last 24 hours."
        ),
    )
    days = digest.add_mutually_exclusive_group()
    days.add_argument("--date", metavar="YYYY-MM-DD", help="one day (also: today, yesterday)")
    days.add_argument("--since", metavar="YYYY-MM-DD", help="first day of a range")
    digest.add_argument("--until", metavar="YYYY-MM-DD", help="last day of the range (inclusive)")
    digest.add_argument("--json", action="store_true", help="one JSON object")
    digest.add_argument("--corpus", type=Path, metavar="PATH", help=_CORPUS_HELP)
    digest.set_defaults(run=run_digest)

    console = subparsers.add_parser(
        "console",
        help="ask questions interactively",
        description="An interactive session: type questions; /help lists the commands.",
    )
    console.add_argument("--corpus", type=Path, metavar="PATH", help=_CORPUS_HELP)
    console.add_argument("--engine", choices=ENGINES, help=argparse.SUPPRESS)
    console.set_defaults(run=run_console)


_CORPUS_HELP = "article file or directory (default: $TEAMBOT_CORPUS, else the bundled seeds)"


def _common(parser: argparse.ArgumentParser, *, engine: bool) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON object per answer")
    parser.add_argument("--corpus", type=Path, metavar="PATH", help=_CORPUS_HELP)
    if engine:
        parser.add_argument(
            "--engine", choices=ENGINES, help="search engine (default: $TEAMBOT_ENGINE or bm25s)"
        )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 1 <= value <= 50:
        raise argparse.ArgumentTypeError(f"expected a number from 1 to 50, got {value}")
    return value


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(corpus=args.corpus, engine=getattr(args, "engine", None))
    configure_logging(settings.log_level)
    return settings


def run_ask(args: argparse.Namespace) -> int:
    """``teambot ask``."""
    if args.question != "-":
        check_question(args.question)
    bot = bootstrap(_settings(args)).bot  # one-shot: the app is never started

    def one(question: str) -> str:
        answer = bot.ask(question)
        return fmt.answer_json(answer) if args.json else fmt.answer_text(answer)

    return _run(args.question, one, "question", args.json)


def run_search(args: argparse.Namespace) -> int:
    """``teambot search``."""
    if args.query != "-":
        check_question(args.query, what="query")
    bot = bootstrap(_settings(args)).bot  # one-shot: the app is never started

    def one(query: str) -> str:
        result = bot.search(query, args.k)
        return fmt.search_json(result) if args.json else fmt.search_text(result)

    return _run(args.query, one, "query", args.json)


def run_digest(args: argparse.Namespace) -> int:
    """``teambot digest``."""
    settings = _settings(args)
    zone = settings.zone()
    days = {"on": args.date, "since": args.since, "until": args.until}
    requested(**days, now=utc_now(), zone=zone, fields=DAY_OPTIONS)  # fails before loading
    bot = bootstrap(settings).bot
    # The window ends after loading, so articles first seen by this very run count.
    digest = bot.digest(requested(**days, now=bot.clock(), zone=zone, fields=DAY_OPTIONS))
    full = settings.digest_stories
    print(fmt.digest_json(digest) if args.json else fmt.digest_text(digest, full=full))
    return EXIT_OK


def run_console(args: argparse.Namespace) -> int:
    """``teambot console``: the REPL, with the corpus watched and any console digest scheduled."""
    settings = _settings(args)
    console = load_console_settings()
    full = settings.digest_stories
    outlet = Outlet("console", console.destinations, _printer(full))
    app = bootstrap(settings, outlets=[outlet])
    app.start()
    try:
        session = ConsoleSession(app.bot, digest_stories=full)
        return run_repl(session, settings.data_dir / "console_history")
    finally:
        app.close()


def _printer(full: int) -> Post:
    """The console as a digest destination: the digest appears in the terminal."""

    def print_digest(destination: Destination, digest: Digest, run: Run) -> None:
        print(f"\n--- scheduled digest ({destination.schedule.describe()}) ---", flush=True)
        print(fmt.digest_text(digest, full=full), flush=True)

    return print_digest


def _run(text: str, one: Callable[[str], str], field: str, as_json: bool) -> int:
    if text != "-":
        print(one(text))
        return EXIT_OK
    refused = 0
    separator = ""
    for lineno, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            out = one(line.strip())
        except QuestionError as exc:
            refused += 1
            print(f"teambot: error: line {lineno}: {exc}", file=sys.stderr)
            if as_json:
                print(fmt.error_json(field, line.strip()[:200], str(exc)), flush=True)
            continue
        print(out if as_json else f"{separator}> {line.strip()}\n{out}", flush=True)
        separator = "\n"
    return EXIT_BAD_INPUT if refused else EXIT_OK
