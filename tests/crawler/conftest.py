"""Crawl tests: a fixture municipality site on a real loopback server, a temp SQLite database, and
`python -m crawler.run` as the child process the service runs."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.config import Config, load_config
from monitor.domain import StoredDocument
from monitor.municipalities import Registry
from storage import repository as repo
from storage.db import Database, open_database
from storage.repository import KnownDocument
from tests.support.crawls import CRAWL_TIMEOUT_S, CrawlResult, run_crawler  # noqa: F401
from tests.support.httpserver import FixtureServer
from tests.support.sites import SiteVisionSite

SOURCE_KEY = "vaggeryd-protocols"


def toml_config(database_url: str, data_dir: Path, start_urls: list[str], crawl: dict) -> str:
    settings = {"allow_private_addresses": True, "default_sources": False, "download_delay": 0.0, **crawl}
    crawl_lines = "\n".join(f"{key} = {json.dumps(value)}" for key, value in settings.items())
    return f"""[database]
url = {json.dumps(database_url)}

[service]
data_dir = {json.dumps(str(data_dir))}

[crawl]
{crawl_lines}

[[sources]]
municipality = "0665"
kind = "protocols"
name = "{SOURCE_KEY}"
start_urls = {json.dumps(start_urls)}
"""


class CrawlHarness:
    """Config, database and run bookkeeping around `python -m crawler.run`, as monitor.app.crawling does it."""

    def __init__(self, tmp_path: Path, start_urls: list[str], database_url: str | None = None, **crawl: object):
        self.tmp_path = tmp_path
        self.config_path = tmp_path / "kommunvakt.toml"
        self.database_url = database_url or f"sqlite:///{tmp_path / 'kommunvakt.db'}"
        self.config_path.write_text(toml_config(self.database_url, tmp_path / "data", start_urls, crawl),
                                    encoding="utf-8")
        self.config: Config = load_config(self.config_path)
        self.database: Database = open_database(self.database_url)
        with self.database.transaction() as session:
            repo.sync_municipalities(session, Registry.load())
            repo.sync_sources(session, self.config.sources, datetime.now(UTC))

    def crawl(self, *extra_args: str) -> CrawlResult:
        with self.database.transaction() as session:
            run_id = repo.start_run(session, SOURCE_KEY, "test", datetime.now(UTC), stale_after_s=3600)
        result = run_crawler("--config", str(self.config_path), "--source", SOURCE_KEY, "--run-id", str(run_id),
                             *extra_args, cwd=self.tmp_path)
        with self.database.transaction() as session:
            repo.finish_run(session, run_id, ok=result.exit_code == 0, error=None, now=datetime.now(UTC))
        return result

    def known(self) -> dict[str, KnownDocument]:
        with self.database.transaction() as session:
            return repo.known_documents(session, SOURCE_KEY)

    def stored(self) -> dict[str, StoredDocument]:
        """Every stored document not analysed yet (all of them: nothing analyses in these tests)."""
        with self.database.transaction() as session:
            return {d.url: d for d in repo.pending_documents(session, limit=1000)}

    def close(self) -> None:
        self.database.dispose()


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def site(tmp_path: Path) -> SiteVisionSite:
    return SiteVisionSite(tmp_path / "site").build()


@pytest.fixture
def server(site: SiteVisionSite) -> Iterator[FixtureServer]:
    with FixtureServer(site.root) as running:
        yield running


@pytest.fixture
def harness(tmp_path: Path, server: FixtureServer) -> Iterator[CrawlHarness]:
    crawl = CrawlHarness(tmp_path, [server.url("/")])
    yield crawl
    crawl.close()
