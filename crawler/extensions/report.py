"""The crawl reporter: listens to the crawl's signals, writes progress lines, keeps the run's ledger."""

from __future__ import annotations

from datetime import date
from typing import Any

from scrapy import signals as scrapy_signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler import events
from crawler import signals as crawl_signals
from crawler.events import Emit
from crawler.ledger import CrawlLedger
from crawler.links import redact
from crawler.spiders.protocols import START
from monitor.domain import CrawlSummary


class CrawlReporter:
    def __init__(self, ledger: CrawlLedger, write: Emit = events.emit):
        self.ledger = ledger
        self.write = write

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlReporter:
        source_key = crawler.settings.get("KOMMUNVAKT_SOURCE_KEY")
        if not source_key:
            raise NotConfigured("KOMMUNVAKT_SOURCE_KEY is not set")
        start_urls = tuple(crawler.settings.getlist("KOMMUNVAKT_START_URLS"))
        reporter = cls(CrawlLedger(source_key, start_urls))
        reporter.connect(crawler)
        return reporter

    def connect(self, crawler: Crawler) -> None:
        connections = {
            crawl_signals.document_found: self.document_found,
            crawl_signals.document_stored: self.document_stored,
            crawl_signals.document_failed: self.document_failed,
            crawl_signals.start_failed: self.start_failed,
            crawl_signals.page_failed: self.page_failed,
            scrapy_signals.item_error: self.item_error,
            scrapy_signals.spider_error: self.spider_error,
            scrapy_signals.spider_closed: self.spider_closed,
            scrapy_signals.request_dropped: self.request_dropped,
        }
        for signal, handler in connections.items():
            crawler.signals.connect(handler, signal=signal)

    # --- handlers ---

    def document_found(self, url: str, known: bool) -> None:
        self.ledger.found(url, known)

    def document_stored(self, url: str, outcome: str, title: str, published_on: date | None,
                        error: str | None, truncated: bool = False) -> None:
        self.ledger.stored(url, outcome, error)
        if truncated:
            self.ledger.warn(f"{redact(url)}: only the first pages were read (crawl.pdf_max_pages)")
        shown = "error" if error else outcome
        self._progress(url, shown, stored=outcome, title=title, published_on=published_on, error=error)

    def document_failed(self, url: str, reason: str) -> None:
        self.ledger.download_failed(url, reason)
        self._progress(url, "error", error=reason)

    def start_failed(self, url: str, reason: str) -> None:
        self.ledger.start_failed(url, reason)
        self.write(events.warning(self.ledger.source_key, reason))

    def page_failed(self, url: str, reason: str) -> None:
        self.ledger.warn(reason)
        self.write(events.warning(self.ledger.source_key, reason))

    def item_error(self, item: Any, failure: Failure) -> None:
        url = getattr(item, "url", "?")
        message = f"{redact(url)}: could not store: {_exception_text(failure)}"
        self.ledger.store_failed(url, message)
        self._progress(url, "error", error=message)

    def spider_error(self, failure: Failure, response: Response) -> None:
        self.ledger.fail(f"{redact(response.url)}: internal error: {_exception_text(failure)}")

    def request_dropped(self, request: Request) -> None:
        """A redirect to a URL this crawl already fetched is dropped by Scrapy's duplicate filter: say so."""
        chain = request.meta.get("redirect_urls")
        if not chain:
            return  # a second link to the same URL: nothing lost
        reason = (f"{redact(chain[0])} redirects to {redact(request.url)}, which this crawl already fetched "
                  f"(a redirect loop, or a second link to the same file)")
        if getattr(request.errback, "__name__", "") == "document_failed":
            self.document_failed(chain[0], reason)
        elif request.meta.get(START):
            self.start_failed(chain[0], reason)
        else:
            self.page_failed(chain[0], reason)

    def spider_closed(self, reason: str) -> None:
        self.ledger.closed(reason)

    # --- results ---

    def summary(self) -> CrawlSummary:
        return self.ledger.summary()

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(self.ledger.warnings)

    def _progress(self, url: str, outcome: str, **details: Any) -> None:
        self.write(events.progress(self.ledger.source_key, redact(url), outcome, **details))


def _exception_text(failure: Failure) -> str:
    return f"{type(failure.value).__name__}: {' '.join(str(failure.value).split())[:300]}"
