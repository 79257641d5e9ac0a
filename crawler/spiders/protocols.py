"""The protocols spider: from a municipality's start URLs to its protocol documents.

It follows links whose text or URL speaks of meetings and protocols (protokoll, sammanträden, kallelser,
handlingar, möten, kommunfullmäktige, kommunstyrelsen, nämnd, diarium, anslagstavla, politik, beslut)
within the start URLs' sites and `source.max_depth` hops, and hands every document it finds (PDFs and
HTML pages that read like protocols) to the item pipelines.  Documents already stored are not fetched
again; pages are asked for conditionally (see crawler.middlewares.conditional).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

from scrapy import Request, Spider
from scrapy.http import Response, TextResponse
from scrapy.link import Link
from scrapy.linkextractors import IGNORED_EXTENSIONS, LinkExtractor
from twisted.python.failure import Failure

from crawler import signals
from crawler.dates import date_in_text, date_in_url
from crawler.extract import is_pdf
from crawler.failures import describe
from crawler.html import looks_like_html
from crawler.items import DocumentItem, LinkInfo
from crawler.links import (
    DOCUMENT_EXTENSIONS,
    domains_of,
    expects_pdf,
    is_http,
    link_title,
    looks_like_document,
    looks_like_navigation,
    looks_like_protocol_page,
    within_domains,
    without_fragment,
)
from crawler.middlewares.conditional import CACHED, CONDITIONAL
from monitor.domain import SourceConfig

START = "kommunvakt_start"
_SKIPPED_EXTENSIONS = [ext for ext in IGNORED_EXTENSIONS if ext not in DOCUMENT_EXTENSIONS]
_PARAGRAPH = re.compile(r"§\s*\d+")
MIN_PARAGRAPHS = 3  # an HTML page needs this many "§ N" to be kept as a protocol
DOCUMENT_PRIORITY = 1  # documents before further pages, so a request cap still yields documents
NO_LINK = LinkInfo()


class ProtocolsSpider(Spider):
    name = "protocols"

    def __init__(self, source: SourceConfig, known: Mapping[str, Any] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.source = source
        self.known = frozenset(known or ())
        self.domains = domains_of(source.start_urls)
        self.link_extractor = LinkExtractor(deny_extensions=_SKIPPED_EXTENSIONS)

    async def start(self) -> AsyncIterator[Request]:
        for url in self.source.start_urls:
            yield self.page_request(url, NO_LINK, start=True)

    # --- requests ---

    def page_request(self, url: str, link: LinkInfo, start: bool = False) -> Request:
        return Request(url, callback=self.parse_page, errback=self.page_failed, cb_kwargs={"link": link},
                       meta={CONDITIONAL: True, START: start})

    def document_request(self, url: str, link: LinkInfo) -> Request:
        return Request(url, callback=self.parse_document, errback=self.document_failed, cb_kwargs={"link": link},
                       priority=DOCUMENT_PRIORITY)

    # --- callbacks ---

    def parse_page(self, response: Response, link: LinkInfo = NO_LINK) -> Iterator[Request | DocumentItem]:
        if not _is_html(response):
            yield self.document_item(response, link)  # a page link that turned out to be a file
            return
        yield from self.page_document(response, link)
        for found in self.link_extractor.extract_links(response):
            yield from self.follow(found, response)

    def parse_document(self, response: Response, link: LinkInfo = NO_LINK) -> Iterator[DocumentItem]:
        yield self.document_item(response, link)

    def page_failed(self, failure: Failure) -> None:
        request = failure.request
        signal = signals.start_failed if request.meta.get(START) else signals.page_failed
        self._send(signal, url=linked_url(request), reason=describe(failure, request.url))

    def document_failed(self, failure: Failure) -> None:
        request = failure.request
        self._send(signals.document_failed, url=linked_url(request), reason=describe(failure, request.url))

    # --- links ---

    def follow(self, found: Link, response: Response) -> Iterator[Request]:
        url = without_fragment(found.url)
        if not is_http(url) or not within_domains(url, self.domains):
            return
        if looks_like_document(url):
            yield from self.document_link(url, found.text, response)
        elif looks_like_navigation(found.text, url) and depth(response) < self.source.max_depth:
            yield self.page_request(url, LinkInfo(link_title(found.text), None, response.url))

    def document_link(self, url: str, text: str, response: Response) -> Iterator[Request]:
        known = url in self.known
        self._send(signals.document_found, url=url, known=known)
        if not known:
            yield self.document_request(url, LinkInfo(link_title(text), link_date(text, url), response.url))

    # --- documents ---

    def page_document(self, response: TextResponse, link: LinkInfo) -> Iterator[DocumentItem]:
        """The page itself, when it reads like a protocol or decision (the pipeline checks its text)."""
        heading = _heading(response)
        if not looks_like_protocol_page(heading, response.url):
            return
        if CACHED in response.flags and linked_url(response.request) in self.known:
            return  # unchanged since it was stored
        if len(_PARAGRAPH.findall(response.xpath("string(//body)").get() or "")) < MIN_PARAGRAPHS:
            return
        dated = LinkInfo(link.title, link.published_on or link_date(heading, response.url), link.found_on)
        yield self.document_item(response, dated, is_page=True)

    def document_item(self, response: Response, link: LinkInfo, is_page: bool = False) -> DocumentItem:
        url = linked_url(response.request) if response.request else response.url
        return DocumentItem(
            source_key=self.source.key, url=url, body=response.body,
            content_type=_header(response, b"Content-Type") or "", fetched_at=datetime.now(UTC), link=link,
            expect_pdf=expects_pdf(url), is_page=is_page, etag=_header(response, b"ETag"),
            last_modified=_header(response, b"Last-Modified"),
        )

    def _send(self, signal: object, **kwargs: Any) -> None:
        self.crawler.signals.send_catch_log(signal, **kwargs)


def linked_url(request: Request | None) -> str:
    """The URL as it was linked, before any redirect: a document's identity."""
    assert request is not None
    return request.meta.get("redirect_urls", [request.url])[0]


def link_date(text: str, url: str) -> date | None:
    return date_in_text(text) or date_in_url(url)


def depth(response: Response) -> int:
    return response.meta.get("depth", 0)


def _is_html(response: Response) -> bool:
    if not isinstance(response, TextResponse) or is_pdf(response.body):
        return False
    return b"html" in (response.headers.get(b"Content-Type") or b"").lower() or looks_like_html(response.body)


def _heading(response: TextResponse) -> str:
    parts = (response.xpath(f"string(//{tag})").get() or "" for tag in ("h1", "title"))
    return " ".join(" ".join(part.split()) for part in parts)


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
