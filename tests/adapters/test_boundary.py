"""The one error boundary: a BotError's message is shown, anything else is logged."""

from __future__ import annotations

import logging

import pytest

from adapters.boundary import EXIT_FAILURE, EXIT_USAGE, command_failure, sorry
from bot.errors import QuestionError, StateError

log = logging.getLogger("teambot.test.boundary")
GENERIC = "Sorry, something went wrong."


def test_sorry_shows_a_bot_errors_message_and_logs_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert sorry(QuestionError("the question is empty"), log, GENERIC, "x") == (
        "Sorry: the question is empty."
    )
    assert caplog.records == []


def test_sorry_logs_anything_else_with_its_traceback_and_quotes_none_of_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    try:
        raise ConnectionError("token xoxb-secret refused")
    except ConnectionError as exc:
        reply = sorry(exc, log, GENERIC, "error while handling %r", "hello")
    assert reply == GENERIC and "xoxb" not in reply
    (record,) = caplog.records
    assert record.levelno == logging.ERROR
    assert record.getMessage() == "error while handling 'hello'"
    assert record.exc_info is not None and record.exc_info[0] is ConnectionError


def test_command_failure_is_bad_input_for_a_bot_error_or_a_refused_path() -> None:
    assert command_failure(StateError("cannot open the state")) == (
        EXIT_USAGE,
        "teambot: error: cannot open the state",
    )
    refused = FileNotFoundError(2, "No such file or directory", "/no/such/corpus")
    assert command_failure(refused) == (
        EXIT_USAGE,
        "teambot: error: cannot use /no/such/corpus: No such file or directory",
    )


def test_command_failure_names_a_bug_and_where_to_find_its_traceback() -> None:
    assert command_failure(KeyError("x")) == (
        EXIT_FAILURE,
        "teambot: error: unexpected KeyError: 'x' (run with TEAMBOT_LOG_LEVEL=DEBUG for details)",
    )
