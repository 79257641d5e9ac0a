"""Shared fixtures: real databases (SQLite files, PostgreSQL where reachable)."""

from __future__ import annotations

import logging
import os

import pytest

from tests.support.postgres import create_postgres_database, drop_postgres_database, postgres_problem

# Fixtures shared across packages: the press newsroom on loopback and a press service (tests/support/press.py).
pytest_plugins = ["tests.support.press"]

@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """A fresh, empty database: a SQLite file, and PostgreSQL where a server is reachable."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kommunvakt.db'}"
        return
    problem = postgres_problem()
    if problem:
        if os.environ.get("KOMMUNVAKT_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{problem}; KOMMUNVAKT_REQUIRE_POSTGRES=1 says it must run here")
        pytest.skip(problem)
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


@pytest.fixture(autouse=True)
def _root_logging_restored():
    """Tests that run `main()` in-process call setup_logging, which points the root logger at the sys.stderr of
    that moment: pytest's capture file, closed when the test ends. A thread that logs later (aiosmtpd's
    "connection lost" from a test SMTP server) then printed "ValueError: I/O operation on closed file"
    tracebacks into the run's output. Each test gets the root logger back as it found it."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
