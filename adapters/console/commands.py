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
from bot.answer.extract import check_question
from bot.bootstrap import build_bot
from bot.cli import configure_logging
from bot.errors import QuestionError
from bot.service import TeamBot
from bot.settings import ENGINES, Settings, load_settings

EXIT_OK = 0
EXIT_BAD_INPUT = 2


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
    bot = build_bot(_settings(args))

    def one(question: str) -> str:
        answer = bot.ask(question)
        return fmt.answer_json(answer) if args.json else fmt.answer_text(answer)

    return _run(args.question, one, "question", args.json)


def run_search(args: argparse.Namespace) -> int:
    """``teambot search``."""
    if args.query != "-":
        check_question(args.query, what="query")
    bot = build_bot(_settings(args))

    def one(query: str) -> str:
        result = bot.search(query, args.k)
        return fmt.search_json(result) if args.json else fmt.search_text(result)

    return _run(args.query, one, "query", args.json)


def run_console(args: argparse.Namespace) -> int:
    """``teambot console``."""
    settings = _settings(args)
    bot: TeamBot = build_bot(settings)
    history = settings.data_dir / "console_history"
    return run_repl(ConsoleSession(bot), history)


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
