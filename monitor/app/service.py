"""Composition: config + database + registry + topic, opened once per command or daemon."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.analysis.topic import Topic, load_topic
from monitor.app.analysis_stage import Context
from monitor.app.clock import utcnow
from monitor.config import Config
from monitor.municipalities import Registry
from storage import repository as repo
from storage.db import Database, open_database


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
