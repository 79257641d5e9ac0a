"""Scrapy settings follow the [crawl] config: polite, bounded, quiet."""

from __future__ import annotations

from pathlib import Path

from crawler.settings import PORTAL_DEPTH, RunTarget, build_settings
from monitor.config import CrawlSettings
from monitor.domain import SourceConfig, SourceKind

SOURCE = SourceConfig("0665-protocols", SourceKind.PROTOCOLS, "0665", ("https://www.vaggeryd.se/",), max_depth=4)
TARGET = RunTarget("sqlite:///x.db", Path("/data/raw"), Path("/data/crawl-state"), 7)


def test_settings_come_from_the_crawl_config() -> None:
    crawl = CrawlSettings(contact="nyheter@example.org", obey_robots_txt=True, download_delay=1.5,
                          concurrent_requests_per_host=2, max_document_bytes=1234, max_requests_per_run=99)

    settings = build_settings(crawl, SOURCE, TARGET)

    assert settings.get("USER_AGENT").startswith("kommunvakt/")
    assert settings.get("USER_AGENT").endswith("(+nyheter@example.org)")
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert settings.getfloat("DOWNLOAD_DELAY") == 1.5
    assert settings.getint("DOWNLOAD_MAXSIZE") == 1234
    assert settings.getint("CLOSESPIDER_PAGECOUNT") == 99
    assert settings.getint("DEPTH_LIMIT") == 4 + PORTAL_DEPTH + 1  # portals live past the site's own pages
    assert (settings.getint("RETRY_TIMES"), settings.getint("DOWNLOAD_TIMEOUT"), settings.getint("REDIRECT_MAX_TIMES")) == (2, 30, 5)


def test_caches_consoles_and_chatter_are_off() -> None:
    settings = build_settings(CrawlSettings(), SOURCE, TARGET)

    assert not settings.getbool("HTTPCACHE_ENABLED")
    assert not settings.getbool("TELNETCONSOLE_ENABLED")
    assert not settings.getbool("REMOTE_CONTROL_ENABLED")
    assert settings.get("LOG_LEVEL") == "WARNING"


def test_the_run_target_reaches_the_components() -> None:
    settings = build_settings(CrawlSettings(allow_private_addresses=True, pdf_timeout_seconds=9), SOURCE, TARGET)

    assert settings.get("KOMMUNVAKT_DATABASE_URL") == "sqlite:///x.db"
    assert settings.getint("KOMMUNVAKT_RUN_ID") == 7
    assert settings.getbool("KOMMUNVAKT_ALLOW_PRIVATE_ADDRESSES")
    assert settings.getfloat("KOMMUNVAKT_PDF_TIMEOUT") == 9.0
    assert settings.getlist("KOMMUNVAKT_START_URLS") == ["https://www.vaggeryd.se/"]
