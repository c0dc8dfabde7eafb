"""The error tree. The core raises these; each adapter turns them into a reply."""

from __future__ import annotations


class BotError(Exception):
    """Root of every error teambot reports to a user as a plain message."""


class ConfigError(BotError):
    """A setting has a value teambot cannot use."""


class CorpusError(BotError):
    """The corpus path is missing or holds no articles."""


class QuestionError(BotError):
    """A question or query is empty, blank or too long."""


class WindowError(BotError):
    """A digest date or window is malformed or reversed."""


class ScheduleError(ConfigError):
    """A digest schedule setting cannot be parsed."""


class StateError(BotError):
    """The shared state store cannot be opened or used."""
