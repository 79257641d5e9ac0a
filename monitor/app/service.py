"""Composition: config + database + registry + topic, opened once per command or daemon."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime

from monitor.analysis.topic import Topic, load_topic
from monitor.config import Config
from monitor.crawling import holder_alive  # noqa: F401 - re-exported for the daemon
from monitor.municipalities import Registry
from monitor.pipeline import Context
from storage import repository as repo
from storage.db import Database, open_database


def utcnow() -> datetime:
    return datetime.now(UTC)


def holder_name(role: str) -> str:
    """Who holds a lock: readable in `status` ("crawl pid 4242 on host")."""
    return f"{role} pid {os.getpid()} on {socket.gethostname()}"


@dataclass
class Service:
    config: Config
    database: Database
    registry: Registry
    topic: Topic

    def context(self, alerts_enabled: bool = True) -> Context:
        return Context(self.config, self.registry, self.topic, utcnow(), alerts_enabled)

    def close(self) -> None:
        self.database.dispose()


def open_service(config: Config, registry: Registry | None = None) -> Service:
    registry = registry or Registry.load()
    topic = load_topic(config.topic)
    database = open_database(config.database_url)
    with database.transaction() as session:
        repo.sync_municipalities(session, registry)
    with database.transaction() as session:
        repo.sync_sources(session, config.sources, utcnow())
    return Service(config, database, registry, topic)
