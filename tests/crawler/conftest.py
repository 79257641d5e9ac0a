"""Crawl tests: a fixture municipality site on a real loopback server, a temp SQLite database, and
`python -m crawler.run` as the child process the service runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.crawls import CrawlHarness
from tests.support.httpserver import FixtureServer
from tests.support.sites import SiteVisionSite


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
