"""teambot: answers a team's questions from a news corpus, with sources."""

__version__ = "0.1.0"
