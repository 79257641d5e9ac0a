"""Scrapy settings for one crawl, built from the config's [crawl] table.  Polite by default."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path

from scrapy.settings import Settings

from monitor.config import CrawlSettings
from monitor.domain import SourceConfig

RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
PORTAL_DEPTH = 8  # the deepest portal walk: Ciceron's hotspots, search, item pages and details
REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# Leave the crawl time to wrap up (flush, summary) before the parent's hard kill at timeout_seconds.
_WRAP_UP_FRACTION = 0.9

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.addresses.PrivateAddressMiddleware": 40,  # before robots.txt and everything else
    "crawler.middlewares.conditional.ConditionalRequestMiddleware": 585,  # inside decompression (590)
    # the project's decoder for every text response; its process_response runs after all the above
    "crawler.middlewares.decoding.ProjectDecodingMiddleware": 50,
}
ITEM_PIPELINES = {
    "crawler.pipelines.article.ReadArticlePipeline": 90,  # press articles only; others pass through
    "crawler.pipelines.extract.ExtractTextPipeline": 100,
    "crawler.pipelines.rawstore.StoreRawPipeline": 200,
    "crawler.pipelines.store.StoreDocumentPipeline": 300,
}
SPIDER_MIDDLEWARES = {"crawler.middlewares.since.SinceMiddleware": 950}  # only with --since (a backfill)
EXTENSIONS = {"crawler.extensions.report.CrawlReporter": 500}


@dataclass(frozen=True)
class RunTarget:
    """Where this run writes: the database, the raw files, the page cache; and which run it is."""

    database_url: str
    raw_dir: Path | str  # a folder, or an object store's URL
    state_dir: Path | str
    run_id: int
    since: date | None = None  # a backfill leaves out documents dated before this day


def version() -> str:
    try:
        return metadata.version("kommunvakt")
    except metadata.PackageNotFoundError:
        return "0"


def user_agent(contact: str) -> str:
    return f"kommunvakt/{version()} (+{contact})"


def politeness(crawl: CrawlSettings) -> dict[str, object]:
    return {
        "USER_AGENT": user_agent(crawl.contact),
        "ROBOTSTXT_OBEY": crawl.obey_robots_txt,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": crawl.download_delay,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.concurrent_requests_per_host),
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrent_requests_per_host,
        "DOWNLOAD_DELAY": crawl.download_delay,
    }


def limits(crawl: CrawlSettings, source: SourceConfig) -> dict[str, object]:
    return {
        "DOWNLOAD_MAXSIZE": crawl.max_document_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "CLOSESPIDER_PAGECOUNT": crawl.max_requests_per_run,
        "CLOSESPIDER_TIMEOUT": max(1, int(crawl.timeout_seconds * _WRAP_UP_FRACTION)),
        # pages to max_depth, then a portal's own levels (committees, meetings, API calls), then the documents
        "DEPTH_LIMIT": source.max_depth + PORTAL_DEPTH + 1,
        "RETRY_TIMES": RETRY_TIMES,
        "DOWNLOAD_TIMEOUT": crawl.download_timeout_seconds,
        "REDIRECT_MAX_TIMES": REDIRECT_MAX_TIMES,
        "DOWNLOAD_FAIL_ON_DATALOSS": True,
    }


def housekeeping() -> dict[str, object]:
    return {
        "BOT_NAME": "kommunvakt",
        "HTTPCACHE_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,  # Scrapy >= 2.15 would otherwise run a code-execution HTTP server
        "LOG_LEVEL": "WARNING",
        "TWISTED_REACTOR": REACTOR,
        "DOWNLOADER_MIDDLEWARES": DOWNLOADER_MIDDLEWARES,
        "ITEM_PIPELINES": ITEM_PIPELINES,
        # Scrapy parses every callback's source (ast, inspect) for each new spider to warn about `return x`
        # in generators: a developer's lint, paid again for every source of a batch.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        "EXTENSIONS": EXTENSIONS,
    }


def ours(crawl: CrawlSettings, source: SourceConfig, target: RunTarget) -> dict[str, object]:
    return {
        "KOMMUNVAKT_SOURCE_KEY": source.key,
        "KOMMUNVAKT_START_URLS": list(source.start_urls or source.feed_urls),  # a press source starts at its feeds
        "KOMMUNVAKT_DATABASE_URL": target.database_url,
        "KOMMUNVAKT_RUN_ID": target.run_id,
        "KOMMUNVAKT_SINCE": target.since.isoformat() if target.since else None,
        "SPIDER_MIDDLEWARES": SPIDER_MIDDLEWARES if target.since else {},
        "KOMMUNVAKT_RAW_DIR": str(target.raw_dir),
        "KOMMUNVAKT_STATE_DIR": str(target.state_dir),
        "KOMMUNVAKT_ALLOW_PRIVATE_ADDRESSES": crawl.allow_private_addresses,
        "KOMMUNVAKT_PDF_TIMEOUT": float(crawl.pdf_timeout_seconds),
        "KOMMUNVAKT_PDF_MEMORY_MB": crawl.pdf_memory_mb,
        "KOMMUNVAKT_PDF_MAX_PAGES": crawl.pdf_max_pages,
        "KOMMUNVAKT_OCR_COMMAND": crawl.ocr_command,
        "KOMMUNVAKT_OCR_LANGUAGES": crawl.ocr_languages,
        "KOMMUNVAKT_OCR_TIMEOUT": float(crawl.ocr_timeout_seconds),
    }


def process_settings(crawl: CrawlSettings) -> Settings:
    """The settings of the process that runs a batch's crawlers: its reactor, resolver and logging."""
    settings = Settings()
    settings.setdict(housekeeping(), priority="project")
    settings.setdict({
        # the private-address check again at connect time, on the address connected to (crawler.resolver)
        "TWISTED_DNS_RESOLVER": "crawler.resolver.PublicAddressResolver",
        "KOMMUNVAKT_ALLOW_PRIVATE_ADDRESSES": crawl.allow_private_addresses,
    }, priority="project")
    return settings


def build_settings(crawl: CrawlSettings, source: SourceConfig, target: RunTarget) -> Settings:
    settings = Settings()
    for part in (housekeeping(), politeness(crawl), limits(crawl, source), ours(crawl, source, target)):
        settings.setdict(part, priority="project")
    return settings
