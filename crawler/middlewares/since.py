"""Backfill from a date: `kommunvakt crawl --since DATE --no-alerts` fetches nothing dated before DATE.

A document whose link carries a date (link text, file name, URL; see crawler.items.LinkInfo) earlier than
the setting ``KOMMUNVAKT_SINCE`` is neither requested nor stored.  Documents without a known date are
fetched: leaving them out could lose a decision, and their text is analysed without alerts anyway.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import date
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

log = logging.getLogger(__name__)


def dated_before(value: Any, since: date) -> bool:
    """True for a request or item whose link says it was published before `since`."""
    link = value.cb_kwargs.get("link") if isinstance(value, Request) else getattr(value, "link", None)
    published = getattr(link, "published_on", None)
    return isinstance(published, date) and published < since


class SinceMiddleware:
    """A spider middleware: drops requests and items dated before the backfill's first day."""

    def __init__(self, since: date):
        self.since = since
        self.skipped = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SinceMiddleware:
        value = crawler.settings.get("KOMMUNVAKT_SINCE")
        if not value:
            raise NotConfigured("no --since date: nothing to leave out")
        middleware = cls(date.fromisoformat(value))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def keep(self, value: Any) -> bool:
        if dated_before(value, self.since):
            self.skipped += 1
            return False
        return True

    def process_spider_output(self, response: Any, result: Iterable[Any]) -> Iterator[Any]:
        return (value for value in result if self.keep(value))

    async def process_spider_output_async(self, response: Any, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for value in result:
            if self.keep(value):
                yield value

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for value in start:
            if self.keep(value):
                yield value

    def spider_closed(self) -> None:
        if self.skipped:
            log.info("left out %d documents dated before %s", self.skipped, self.since)
