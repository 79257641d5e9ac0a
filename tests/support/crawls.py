"""Running `python -m crawler.run` as the parent does, and reading its JSON-lines output."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from monitor.config import Config, load_config
from monitor.domain import StoredDocument
from monitor.municipalities import Registry
from storage import repository as repo
from storage.db import Database, open_database
from storage.repository import KnownDocument
from tests.support.config import write_config

CRAWL_TIMEOUT_S = 120


@dataclass(frozen=True)
class CrawlResult:
    exit_code: int
    events: list[dict]
    stderr: str

    @property
    def summary(self) -> dict:
        summaries = [e for e in self.events if e.get("event") == "summary"]
        assert len(summaries) == 1, f"expected exactly one summary, got {self.events}\n{self.stderr}"
        return summaries[0]

    @property
    def progress(self) -> list[dict]:
        return [e for e in self.events if e.get("event") == "progress"]

    @property
    def warnings(self) -> list[str]:
        return self.summary["warnings"]


def run_crawler(*args: str, cwd: Path, env: dict[str, str] | None = None) -> CrawlResult:
    process = subprocess.run([sys.executable, "-m", "crawler.run", *args], capture_output=True, text=True,
                             cwd=cwd, timeout=CRAWL_TIMEOUT_S, env=env)
    events = [json.loads(line) for line in process.stdout.splitlines() if line.startswith("{")]
    return CrawlResult(process.returncode, events, process.stderr)


SOURCE_KEY = "vaggeryd-protocols"


def write_crawl_config(directory: Path, database_url: str, start_urls: list[str], **crawl: object) -> Path:
    """Vaggeryd's protocols (SOURCE_KEY) at `start_urls`, raw files under `directory/data`."""
    return write_config(directory, database_url=database_url, data_dir=directory / "data",
                        crawl={"download_delay": 0.0, **crawl},
                        sources=[{"municipality": "0665", "kind": "protocols", "name": SOURCE_KEY,
                                  "start_urls": start_urls}])


class CrawlHarness:
    """Config, database and run bookkeeping around `python -m crawler.run`, as monitor.app.crawling does it."""

    def __init__(self, tmp_path: Path, start_urls: list[str], database_url: str | None = None, **crawl: object):
        self.tmp_path = tmp_path
        self.database_url = database_url or f"sqlite:///{tmp_path / 'kommunvakt.db'}"
        self.config_path = write_crawl_config(tmp_path, self.database_url, start_urls, **crawl)
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
