"""The state-store tests share the digest tests' PostgreSQL fixtures."""

from __future__ import annotations

from tests.digest.conftest import postgres, postgres_url  # noqa: F401
