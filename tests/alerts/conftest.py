"""Real local servers (SMTP, webhook) and a real SQLite database for the alerts tests."""

from __future__ import annotations

import pytest

from storage.db import Database, open_database
from tests.support.alert_builders import seed
from tests.support.smtp import SmtpSink
from tests.support.webhook import WebhookReceiver


@pytest.fixture
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def webhook():
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'kommunvakt.db'}"


@pytest.fixture
def database(sqlite_url) -> Database:
    """A migrated SQLite database in tmp_path with Kiruna, Vaggeryd and Stockholm."""
    db = open_database(sqlite_url)
    seed(db)
    yield db
    db.dispose()


@pytest.fixture
def any_database(database_url) -> Database:
    """The same, on SQLite and (where a server is reachable) PostgreSQL."""
    db = open_database(database_url)
    seed(db)
    yield db
    db.dispose()
