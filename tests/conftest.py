"""Shared fixtures: real databases (SQLite files, PostgreSQL where reachable)."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, make_url, text

# Fixtures shared across packages: the press newsroom on loopback and a press service (tests/support/press.py).
pytest_plugins = ["tests.support.press"]

POSTGRES_URL = os.environ.get("KOMMUNVAKT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_problem() -> str | None:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means: no server here
        return f"no PostgreSQL reachable at {POSTGRES_URL} ({type(exc).__name__})"


def _create_postgres_database() -> str:
    """A new, empty database of its own, so concurrent test runs never share tables."""
    name = f"kv_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """A fresh, empty database: a SQLite file, and PostgreSQL where a server is reachable."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kommunvakt.db'}"
        return
    problem = _postgres_problem()
    if problem:
        if os.environ.get("KOMMUNVAKT_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{problem}; KOMMUNVAKT_REQUIRE_POSTGRES=1 says it must run here")
        pytest.skip(problem)
    url = _create_postgres_database()
    yield url
    _drop_postgres_database(url)
