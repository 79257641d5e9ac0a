"""Shared fixtures: real databases (SQLite files, PostgreSQL where reachable)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text

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


def _reset_postgres() -> None:
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """A fresh, empty database: a SQLite file, and PostgreSQL where a server is reachable."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kommunvakt.db'}"
    problem = _postgres_problem()
    if problem:
        if os.environ.get("KOMMUNVAKT_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{problem}; KOMMUNVAKT_REQUIRE_POSTGRES=1 says it must run here")
        pytest.skip(problem)
    _reset_postgres()
    return POSTGRES_URL
