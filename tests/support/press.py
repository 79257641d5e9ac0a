"""Press tests: the fixture newsroom on a real loopback server, a temp database, `python -m crawler.run`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from monitor.analysis.topic import load_topic
from monitor.app.analysis_stage import Context
from monitor.config import Config, load_config
from monitor.domain import ArticleInfo, FetchedDocument
from monitor.municipalities import Registry
from storage import press_articles as stories
from storage import repository as repo
from storage.db import Database, open_database
from storage.rawstore import sha256
from tests.support.config import write_config
from tests.support.crawls import CrawlResult, run_crawler
from tests.support.httpserver import FixtureServer
from tests.support.newsroom import LATIN1_PAGE, Newsroom


def yesterday_morning() -> datetime:
    """07:00 UTC yesterday: the same day in Stockholm, and recent enough to alert."""
    return datetime.combine(datetime.now(UTC).date() - timedelta(days=1), time(7), tzinfo=UTC)


@dataclass(frozen=True)
class PressSource:
    name: str
    feeds: list[str]
    outlet: str | None = None
    every: str | None = None

    def settings(self) -> dict:
        optional = {"outlet": self.outlet, "every": self.every}
        return {"name": self.name, "kind": "press", "feed_urls": self.feeds,
                **{key: value for key, value in optional.items() if value}}


def press_config(tmp_path: Path, database_url: str, sources: list[PressSource], crawl: dict | None = None,
                 daemon: dict | None = None, targets: tuple[dict, ...] = ()) -> Path:
    return write_config(tmp_path, database_url=database_url, data_dir=tmp_path / "data",
                        crawl={"download_delay": 0.0, "contact": "test@example.org", **(crawl or {})},
                        daemon=daemon, sources=[source.settings() for source in sources], targets=targets)


@dataclass
class PressHarness:
    """Config, database and run bookkeeping around `python -m crawler.run`, as monitor.app.crawling does it."""

    tmp_path: Path
    database_url: str
    sources: list[PressSource]
    crawl_settings: dict = field(default_factory=dict)
    env: dict[str, str] | None = None

    def __post_init__(self) -> None:
        self.config_path = press_config(self.tmp_path, self.database_url, self.sources, self.crawl_settings)
        self.config: Config = load_config(self.config_path)
        self.database: Database = open_database(self.database_url)
        with self.database.transaction() as session:
            repo.sync_municipalities(session, Registry.load())
            repo.sync_sources(session, self.config.sources, datetime.now(UTC))

    def crawl(self, source_key: str) -> CrawlResult:
        with self.database.transaction() as session:
            run_id = repo.start_run(session, source_key, "test", datetime.now(UTC), stale_after_s=3600)
        result = run_crawler("--config", str(self.config_path), "--source", source_key, "--run-id", str(run_id),
                             cwd=self.tmp_path, env=self.env)
        with self.database.transaction() as session:
            repo.finish_run(session, run_id, ok=result.exit_code == 0, error="; ".join(result.summary["errors"]),
                            now=datetime.now(UTC))
        return result

    def close(self) -> None:
        self.database.dispose()


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a crawl child without any proxy settings of this machine, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(extra)
    return env


@pytest.fixture
def newsroom(tmp_path: Path) -> Iterator[tuple[Newsroom, FixtureServer]]:
    room = Newsroom(tmp_path / "site")
    room.root.mkdir(parents=True)
    with FixtureServer(room.root) as server:
        room.build(server.url(""), published=yesterday_morning())
        server.set_headers(LATIN1_PAGE, {"Content-Type": "text/html; charset=ISO-8859-1"})
        yield room, server


# --- the analysis stage on a real database, without crawling (press vs protocols, stories) ----------

NOW = datetime(2025, 11, 12, 9, 0, tzinfo=UTC)


@pytest.fixture
def service(tmp_path, database_url):
    config_path = tmp_path / "kommunvakt.toml"
    config_path.write_text("""[crawl]
default_sources = false
[[sources]]
name = "vaggeryd-protocols"
municipality = "Vaggeryd"
start_urls = ["https://www.vaggeryd.se/"]
[[sources]]
name = "press-lokal"
kind = "press"
feed_urls = ["https://www.vn.se/feed"]
""", encoding="utf-8")
    config = load_config(config_path, environ={})
    database = open_database(database_url)
    with database.transaction() as session:
        repo.sync_municipalities(session, Registry.load())
        repo.sync_sources(session, config.sources, NOW)
    context = Context(config, Registry.load(), load_topic(config.topic), NOW)
    yield database, context
    database.dispose()


def publish(database, source_key: str, url: str, text: str, day: date, outlet: str | None = None) -> None:
    article = ArticleInfo(feed_url="https://www.vn.se/feed", entry_id=url) if outlet else None
    document = FetchedDocument(source_key=source_key, url=url, fetched_at=NOW, content_type="text/html",
                               content_hash=sha256(text.encode()), raw=text.encode(), text=text,
                               text_hash=sha256(text.encode()), title=text.splitlines()[0], published_on=day,
                               extractor="test", outlet=outlet, article=article)
    with database.transaction() as session:
        stories.store_article(session, document, None)
