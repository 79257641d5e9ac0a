"""The press spider: from a press source's feeds (RSS, Atom) to its articles.

Each feed is fetched (at most `crawl.max_feed_bytes`) and read safely (crawler.feeds); a feed that cannot
be fetched or read is an error recorded for that feed, and the other feeds carry on.  Each new entry's
article page is fetched through the same middlewares as everything else (http(s) only, no private
addresses unless allowed, robots.txt, size and time limits) and read in crawler.pipelines.article.  When
the page cannot be fetched the entry's summary is stored instead, and why.  Known entries are not
fetched again unless the feed says they were updated since.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy import Request, Spider
from scrapy.exceptions import DownloadCancelledError
from scrapy.http import Response
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure

from crawler import signals
from crawler.articles import published_on, summary_item
from crawler.failures import describe
from crawler.feeds import Feed, FeedEntry, FeedError, PressEntry, is_http, parse_feed
from crawler.items import DocumentItem, LinkInfo
from crawler.links import redact, without_fragment
from monitor.domain import SourceConfig
from storage.press_articles import KnownArticle

FEED = "kommunvakt_feed"
DEFAULT_MAX_FEED_BYTES = 5 * 1024 * 1024
_TRACKING = ("utm_", "fbclid", "gclid")


class PressSpider(Spider):
    name = "press"

    def __init__(self, source: SourceConfig, known: Mapping[str, KnownArticle] | None = None,
                 max_feed_bytes: int = DEFAULT_MAX_FEED_BYTES, **kwargs: Any):
        super().__init__(**kwargs)
        self.source = source
        self.known = dict(known or {})
        self.max_feed_bytes = max_feed_bytes

    async def start(self) -> AsyncIterator[Request]:
        for url in self.source.feed_urls:
            yield Request(url, callback=self.parse_feed, errback=self.feed_failed, dont_filter=True,
                          meta={FEED: url, "download_maxsize": self.max_feed_bytes})

    # --- feeds ---

    def parse_feed(self, response: Response) -> Iterator[Request]:
        feed_url = response.meta[FEED]
        try:
            feed = parse_feed(response.body, feed_url, _header(response, b"Content-Type"))
        except FeedError as exc:
            self._send(signals.start_failed, url=feed_url, reason=f"{redact(feed_url)}: {exc}")
            return
        if not any(is_http(entry.link) for entry in feed.entries):
            what = "entries" if not feed.entries else "entries with an http(s) link"
            self._send(signals.start_failed, url=feed_url, reason=f"{redact(feed_url)}: the feed has no {what}")
        for entry in feed.entries:
            yield from self.follow(entry, feed)

    def feed_failed(self, failure: Failure) -> None:
        feed_url = failure.request.meta[FEED]
        reason = describe(failure, failure.request.url)
        if isinstance(failure.value, DownloadCancelledError | CancelledError):  # over download_maxsize
            reason = f"{redact(feed_url)}: larger than crawl.max_feed_bytes ({self.max_feed_bytes} bytes): not read"
        self._send(signals.start_failed, url=feed_url, reason=reason)

    # --- entries ---

    def follow(self, entry: FeedEntry, feed: Feed) -> Iterator[Request]:
        url = article_url(entry.link)
        if not is_http(url):
            self._send(signals.page_failed, url=url,
                       reason=f"{redact(feed.url)}: entry {entry.title or entry.entry_id!r} refused: its link "
                              f"{redact(url)[:200]} is not http or https")
            return
        known = self.is_known(url, entry)
        self._send(signals.document_found, url=url, known=known)
        if not known:
            press = PressEntry(feed.url, feed.title, entry, self.source.outlet)
            yield Request(url, callback=self.parse_article, errback=self.article_failed, cb_kwargs={"press": press})

    def is_known(self, url: str, entry: FeedEntry) -> bool:
        """Stored already, and not updated since (by the feed's own word)."""
        known = self.known.get(url)
        if known is None:
            return False
        stored = known.entry_updated
        return not (entry.updated and stored and entry.updated > stored)

    # --- articles ---

    def parse_article(self, response: Response, press: PressEntry) -> Iterator[DocumentItem]:
        yield DocumentItem(
            source_key=self.source.key, url=_linked_url(response.request), body=response.body,
            content_type=_header(response, b"Content-Type"), fetched_at=datetime.now(UTC),
            link=LinkInfo(press.entry.title, published_on(press.entry.published), press.feed_url),
            etag=_header(response, b"ETag") or None, last_modified=_header(response, b"Last-Modified") or None,
            press=press,
        )

    def article_failed(self, failure: Failure) -> Iterator[DocumentItem]:
        request = failure.request
        press: PressEntry = request.cb_kwargs["press"]
        url = _linked_url(request)
        problem = describe(failure, request.url)
        if not press.entry.summary:
            self._send(signals.document_failed, url=url, reason=f"{problem}; the entry has no summary to keep")
            return
        self._send(signals.page_failed, url=url, reason=f"{problem}; kept the feed's summary")
        yield summary_item(self.source.key, url, press, f"the page could not be fetched: {problem}")

    def _send(self, signal: object, **kwargs: Any) -> None:
        self.crawler.signals.send_catch_log(signal, **kwargs)


def article_url(link: str) -> str:
    """An article's identity: its link without the fragment and without tracking parameters (utm_*)."""
    parts = urlsplit(without_fragment(link))
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith(_TRACKING)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _linked_url(request: Request | None) -> str:
    """The URL as the feed linked it, before any redirect: an article's identity."""
    assert request is not None
    return request.meta.get("redirect_urls", [request.url])[0]


def _header(response: Response, name: bytes) -> str:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else ""
