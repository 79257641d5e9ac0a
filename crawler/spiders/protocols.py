"""The protocols spider: from a municipality's start URLs to its protocol documents.

Discovery, in order of trust:

1. Known portals.  A link, frame or script that leads into a meeting portal (MeetingPlus, Netpublicator,
   Ciceron, Lex2, OpenGov; see crawler.platforms) is handed to that platform's adapter, on whatever host the
   portal lives; the adapter walks committees, meetings and API calls down to the protocol files.
   Pages of the site itself that are archives an adapter reads (SiteVision file archives, plain lists
   of protocol PDFs) are read by it too, so committee and date come with each file.
2. Links whose text or URL speaks of meetings and protocols (protokoll, sammanträden, kallelser,
   handlingar, möten, kommunfullmäktige, kommunstyrelsen, nämnd, diarium, anslagstavla, politik,
   beslut), within the start URLs' sites and `source.max_depth` hops.
3. The site's `/sitemap.xml`, where it offers one.

Incremental: pages are asked for conditionally (crawler.middlewares.conditional).  A document already
stored is not fetched again, except that a listing which changed since last time has its known documents
rechecked with the ETag / Last-Modified they were stored with (a 304 costs no body).  A protocol that a
portal hands out only through calls (FoundProtocol.fetch; Lex2) is known by its stable URL, not by the file
the calls lead to; its calls are made for new documents, and for known ones on a changed listing, where an
unchanged answer to the first call ends the recheck.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from scrapy import Request, Spider
from scrapy.http import JsonRequest, Response, TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS, LinkExtractor
from twisted.python.failure import Failure

from crawler import platforms, signals
from crawler.dates import date_in_text, date_in_url
from crawler.discovery import embedded_urls, portal_scripts, read_sitemap, script_urls, sitemap_url
from crawler.extraction.extractor import is_pdf
from crawler.extraction.html import looks_like_html
from crawler.failures import describe
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
from crawler.middlewares.conditional import CACHE_AS, CACHED, CONDITIONAL
from crawler.platforms import FoundProtocol, PortalPage, PortalRequest
from monitor.domain import SourceConfig

START = "kommunvakt_start"
KNOWN_AS = "kommunvakt_known_as"  # the URL a document fetched through portal calls is known by
_SKIPPED_EXTENSIONS = [ext for ext in IGNORED_EXTENSIONS if ext not in DOCUMENT_EXTENSIONS]
_PARAGRAPH = re.compile(r"§\s*\d+")
MIN_PARAGRAPHS = 3  # an HTML page needs this many "§ N" to be kept as a protocol
DOCUMENT_PRIORITY = 1  # documents before further pages, so a request cap still yields documents
NOT_MODIFIED = 304
NO_LINK = LinkInfo()
ON_SITE_PLATFORMS = ("sitevision", "pdflist")  # archives of the site itself, never followed off-site


@dataclass(frozen=True)
class Fetching:
    """A document on its way through portal calls (FoundProtocol.fetch), known by `url`."""

    url: str
    known: bool = False  # a recheck of a stored document
    recheck: Any = None  # the stored document (its validators)
    first: bool = True  # the first call: on a recheck, an unchanged answer means an unchanged document


class ProtocolsSpider(Spider):
    name = "protocols"

    def __init__(self, source: SourceConfig, known: Mapping[str, Any] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.source = source
        self.known = dict(known or {})
        self.domains = domains_of(source.start_urls)
        self.link_extractor = LinkExtractor(deny_extensions=_SKIPPED_EXTENSIONS)

    async def start(self) -> AsyncIterator[Request]:
        for url in self.source.start_urls:
            yield self.page_request(url, NO_LINK, start=True)
        for url in dict.fromkeys(sitemap_url(u) for u in self.source.start_urls):
            yield Request(url, callback=self.parse_sitemap, errback=self.quiet, meta={CONDITIONAL: True})

    @property
    def since(self) -> date | None:
        """A backfill's first day (--since), which adapters that search by date go back to."""
        value = self.settings.get("KOMMUNVAKT_SINCE") if hasattr(self, "settings") else None
        return date.fromisoformat(value) if value else None

    # --- requests ---

    def page_request(self, url: str, link: LinkInfo, start: bool = False) -> Request:
        return Request(url, callback=self.parse_page, errback=self.page_failed, cb_kwargs={"link": link},
                       meta={CONDITIONAL: True, START: start})

    def document_request(self, url: str, link: LinkInfo, recheck: Any = None, known_as: str | None = None) -> Request:
        headers: dict[str, str] = {}
        meta: dict[str, Any] = {KNOWN_AS: known_as} if known_as else {}
        if recheck is not None:  # known document on a changed listing: ask with what it was stored with
            headers = _validators(recheck)
            meta["handle_httpstatus_list"] = [NOT_MODIFIED]
        return Request(url, callback=self.parse_document, errback=self.document_failed, cb_kwargs={"link": link},
                       priority=DOCUMENT_PRIORITY, headers=headers, meta=meta)

    def portal_request(self, portal: PortalRequest, link: LinkInfo = NO_LINK,
                       fetching: Fetching | None = None) -> Request:
        kwargs: dict[str, Any] = {"callback": self.parse_portal, "errback": self.page_failed,
                                  "cb_kwargs": {"portal": portal}, "meta": {CONDITIONAL: True}}
        if fetching is not None:  # a call on the way to a document: dated (for --since) and failing as it
            kwargs.update(errback=self.document_failed, priority=DOCUMENT_PRIORITY)
            kwargs["cb_kwargs"].update(link=link, fetching=fetching)
            kwargs["meta"][KNOWN_AS] = fetching.url
        if portal.cache_as:
            kwargs["meta"][CACHE_AS] = portal.cache_as
        if portal.json_body is not None:
            return JsonRequest(portal.url, method="POST", body=portal.json_body, **kwargs)
        return Request(portal.url, **kwargs)

    # --- callbacks ---

    def parse_page(self, response: Response, link: LinkInfo = NO_LINK) -> Iterator[Request | DocumentItem]:
        if not _is_html(response):
            yield self.document_item(response, link)  # a page link that turned out to be a file
            return
        yield from self.page_document(response, link)
        handled: set[str] = set()
        yield from self.site_archive(response, handled)
        yield from self.embedded_portals(response)
        for found in self.link_extractor.extract_links(response):
            if without_fragment(found.url) not in handled:
                yield from self.follow(found.url, found.text, response)

    def parse_portal(self, response: Response, portal: PortalRequest, link: LinkInfo = NO_LINK,
                     fetching: Fetching | None = None) -> Iterator[Request]:
        adapter = platforms.PLATFORMS[portal.platform]
        page = PortalPage(portal, response.url, response.body, getattr(response, "encoding", "utf-8"))
        try:
            listing = adapter.parse(page)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            signal, url = (signals.document_failed, fetching.url) if fetching else (signals.page_failed, response.url)
            self._send(signal, url=url, reason=f"{response.url}: could not read the {portal.platform} page: {exc}")
            return
        if fetching is not None:
            yield from self.fetched(response, listing, link, fetching)
            return
        yield from self.protocols(listing.protocols, response)
        for further in listing.follow:
            yield self.portal_request(further)

    def parse_script(self, response: Response) -> Iterator[Request]:
        text = response.body.decode("utf-8", errors="replace")
        yield from self.hand_over(script_urls(text))

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        pages, nested = read_sitemap(response.body)
        for url in nested:
            if within_domains(url, self.domains):
                yield Request(url, callback=self.parse_sitemap, errback=self.quiet, meta={CONDITIONAL: True})
        for url in pages:
            yield from self.follow(url, "", response)

    def parse_document(self, response: Response, link: LinkInfo = NO_LINK) -> Iterator[DocumentItem]:
        if response.status == NOT_MODIFIED:
            return  # a known document, unchanged: seen, nothing downloaded
        yield self.document_item(response, link)

    def page_failed(self, failure: Failure) -> None:
        request = failure.request
        signal = signals.start_failed if request.meta.get(START) else signals.page_failed
        self._send(signal, url=linked_url(request), reason=describe(failure, request.url))

    def document_failed(self, failure: Failure) -> None:
        request = failure.request
        self._send(signals.document_failed, url=linked_url(request), reason=describe(failure, request.url))

    def quiet(self, failure: Failure) -> None:
        """Optional extras (a sitemap, a widget script): their absence is normal."""

    # --- discovery ---

    def site_archive(self, response: TextResponse, handled: set[str]) -> Iterator[Request]:
        """A page of the site that an adapter reads (a SiteVision file archive, a plain list of PDFs)."""
        adapter = platforms.for_page(response.url, response.selector)
        if adapter is None:
            return
        portal = self.entry(adapter, response.url)
        listing = adapter.parse(PortalPage(portal, response.url, response.body, response.encoding))
        handled.update(p.url for p in listing.protocols)
        handled.update(f.url for f in listing.follow)
        yield from self.protocols(listing.protocols, response)
        for further in listing.follow:
            yield self.portal_request(further)

    def embedded_portals(self, response: TextResponse) -> Iterator[Request]:
        yield from self.hand_over(embedded_urls(response.selector, response.url))
        for script in portal_scripts(response.selector, response.url):
            yield Request(script, callback=self.parse_script, errback=self.quiet, meta={CONDITIONAL: True})

    def hand_over(self, urls: Iterable[str]) -> Iterator[Request]:
        for url in urls:
            adapter = platforms.for_url(url)
            if adapter is not None:
                yield self.portal_request(self.entry(adapter, url))

    def entry(self, adapter: platforms.Platform, url: str) -> PortalRequest:
        """Where the adapter begins, told how far back a backfill reaches."""
        return replace(adapter.entry(url), since=self.since)

    def follow(self, raw_url: str, text: str, response: Response) -> Iterator[Request]:
        if not is_http(raw_url):
            return
        url = without_fragment(raw_url)
        on_site = within_domains(url, self.domains)
        adapter = platforms.for_url(raw_url)
        if adapter is not None and (on_site or adapter.name not in ON_SITE_PLATFORMS):
            yield self.portal_request(self.entry(adapter, raw_url))  # a known portal, on any host
            return
        if not on_site:
            return
        if looks_like_document(url):
            yield from self.document_link(url, LinkInfo(link_title(text), link_date(text, url), response.url),
                                          response)
        elif looks_like_navigation(text, url) and depth(response) < self.source.max_depth:
            yield self.page_request(url, LinkInfo(link_title(text), None, response.url))

    def protocols(self, found: Iterable[FoundProtocol], response: Response) -> Iterator[Request]:
        for protocol in found:
            link = LinkInfo(link_title(protocol.title), protocol.published_on, response.url)
            yield from self.document_link(protocol.url, link, response, protocol.fetch)

    def document_link(self, url: str, link: LinkInfo, response: Response,
                      fetch: PortalRequest | None = None) -> Iterator[Request]:
        is_known = url in self.known
        self._send(signals.document_found, url=url, known=is_known)
        if not is_known:
            yield self.fetch_request(url, link, fetch)
        elif CACHED not in response.flags and (fetch is not None or _validators(self.known[url])):
            yield self.fetch_request(url, link, fetch, known=True)

    def fetch_request(self, url: str, link: LinkInfo, fetch: PortalRequest | None, known: bool = False) -> Request:
        """The document itself (asked with its stored validators when known), or the first call on the way."""
        recheck = self.known[url] if known else None
        if fetch is None:
            return self.document_request(url, link, recheck)
        return self.portal_request(fetch, link, Fetching(url, known, recheck))

    def fetched(self, response: Response, listing: platforms.Listing, link: LinkInfo,
                fetching: Fetching) -> Iterator[Request]:
        """The next step to a document reached through portal calls: a further call, or the file."""
        if fetching.first and fetching.known and CACHED in response.flags:
            return  # the portal describes the known document as it did last time
        if not listing.protocols and not listing.follow:
            self._send(signals.document_failed, url=fetching.url,
                       reason=f"{response.url}: the portal's answer leads to no file")
        for protocol in listing.protocols[:1]:
            yield self.document_request(protocol.url, link, fetching.recheck, known_as=fetching.url)
        for further in listing.follow:
            yield self.portal_request(further, link, replace(fetching, first=False))

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
    """The URL as it was linked, before any redirect (or as an adapter named it): a document's identity."""
    assert request is not None
    return request.meta.get(KNOWN_AS) or request.meta.get("redirect_urls", [request.url])[0]


def link_date(text: str, url: str) -> date | None:
    return date_in_text(text) or date_in_url(url)


def depth(response: Response) -> int:
    return response.meta.get("depth", 0)


def _validators(known: Any) -> dict[str, str]:
    """Conditional headers from a known document's stored ETag / Last-Modified ({} when it has none)."""
    headers = {}
    if getattr(known, "etag", None):
        headers["If-None-Match"] = known.etag
    if getattr(known, "last_modified", None):
        headers["If-Modified-Since"] = known.last_modified
    return headers


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
