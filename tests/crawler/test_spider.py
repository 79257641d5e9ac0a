"""The protocols spider's callbacks on saved fixture pages (no network)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from crawler import signals
from crawler.items import DocumentItem
from crawler.middlewares.conditional import CACHED
from crawler.spiders.protocols import ProtocolsSpider
from monitor.domain import SourceConfig, SourceKind
from tests.support.sites import SiteVisionSite

BASE = "https://www.vaggeryd.se"


def make_spider(known: set[str] = frozenset(), max_depth: int = 3) -> tuple[ProtocolsSpider, list[dict]]:
    source = SourceConfig("0665-protocols", SourceKind.PROTOCOLS, "0665", (BASE + "/",), max_depth=max_depth)
    crawler = get_crawler(ProtocolsSpider)
    spider = ProtocolsSpider.from_crawler(crawler, source=source, known={url: None for url in known})
    found: list[dict] = []
    crawler.signals.connect(lambda **kw: found.append(kw), signal=signals.document_found, weak=False)
    return spider, found


def page(site: SiteVisionSite, path: str, depth: int, flags: list[str] | None = None) -> HtmlResponse:
    body = (site.root / path.lstrip("/")).read_bytes()
    request = Request(BASE + path, meta={"depth": depth})
    return HtmlResponse(BASE + path, body=body, encoding="utf-8", request=request, flags=flags)


@pytest.fixture
def site(tmp_path: Path) -> SiteVisionSite:
    return SiteVisionSite(tmp_path / "site").build()


def requests_from(results: list) -> list[Request]:
    return [r for r in results if isinstance(r, Request)]


def test_the_listing_yields_its_pdfs_with_link_titles_and_dates(site: SiteVisionSite) -> None:
    spider, found = make_spider()

    results = list(spider.parse_page(page(site, site.listing_path, depth=2)))

    documents = [r for r in requests_from(results) if r.callback == spider.parse_document]
    assert sorted(r.url for r in documents) == sorted(BASE + p for p in site.pdf_paths())
    link = next(r.cb_kwargs["link"] for r in documents if r.url.endswith("2025-10-28.pdf"))
    assert link.title == "Protokoll kommunfullmäktige 2025-10-28"
    assert link.published_on == date(2025, 10, 28)
    assert link.found_on == BASE + site.listing_path
    assert {f["url"] for f in found} == {BASE + p for p in site.pdf_paths()}


def test_the_listing_leads_on_to_meeting_pages_but_not_off_topic_or_off_site(site: SiteVisionSite) -> None:
    spider, _ = make_spider()

    pages = [r.url for r in requests_from(list(spider.parse_page(page(site, site.listing_path, 2))))
             if r.callback == spider.parse_page]

    assert {BASE + d.meeting_page for d in site.documents} <= set(pages)
    assert not any("facebook" in url or url.startswith(("mailto:", "tel:", "javascript:")) for url in pages)
    assert not any("forskola" in url for url in pages)


def test_known_documents_are_not_requested_again(site: SiteVisionSite) -> None:
    known = {BASE + site.pdf_paths()[0]}
    spider, found = make_spider(known=known)

    urls = [r.url for r in requests_from(list(spider.parse_page(page(site, site.listing_path, 2))))]

    assert BASE + site.pdf_paths()[0] not in urls and BASE + site.pdf_paths()[1] in urls
    assert {(f["url"], f["known"]) for f in found} == {(BASE + site.pdf_paths()[0], True),
                                                        (BASE + site.pdf_paths()[1], False)}


def test_at_the_depth_limit_documents_are_still_fetched_but_no_further_pages(site: SiteVisionSite) -> None:
    spider, _ = make_spider(max_depth=2)

    results = requests_from(list(spider.parse_page(page(site, site.listing_path, depth=2))))

    assert results and all(r.callback == spider.parse_document for r in results)


PROTOCOL_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Protokoll KS 2025-11-04</title></head>
<body><h1>Protokoll kommunstyrelsen 4 november 2025</h1>
<p>§ 101 Val av justerare. § 102 Budget. § 103 Svar på motion om cykelvägar.</p></body></html>"""


def test_an_html_page_that_reads_like_a_protocol_becomes_a_document() -> None:
    spider, _ = make_spider()
    url = BASE + "/politik/protokoll-ks-2025-11-04.4.1a.html"
    response = HtmlResponse(url, body=PROTOCOL_PAGE.encode(), encoding="utf-8", request=Request(url))

    [item] = [r for r in spider.parse_page(response) if isinstance(r, DocumentItem)]

    assert item.is_page and item.url == url and item.link.published_on == date(2025, 11, 4)


def test_an_unchanged_known_protocol_page_is_not_stored_again() -> None:
    url = BASE + "/politik/protokoll-ks-2025-11-04.4.1a.html"
    spider, _ = make_spider(known={url})
    response = HtmlResponse(url, body=PROTOCOL_PAGE.encode(), encoding="utf-8", request=Request(url), flags=[CACHED])

    assert not [r for r in spider.parse_page(response) if isinstance(r, DocumentItem)]


def test_a_page_link_that_turns_out_to_be_a_pdf_is_a_document(site: SiteVisionSite) -> None:
    spider, _ = make_spider()
    url = BASE + "/politik/senaste-protokollet"
    body = (site.root / site.pdf_paths()[0].lstrip("/")).read_bytes()
    response = Response(url, body=body, headers={"Content-Type": "application/pdf"}, request=Request(url))

    [item] = list(spider.parse_page(response))

    assert isinstance(item, DocumentItem) and item.body == body and item.content_type == "application/pdf"


def test_a_redirected_document_keeps_the_url_it_was_linked_by() -> None:
    spider, _ = make_spider()
    linked, final = BASE + "/download/18.1/2/p.pdf", "https://cdn.example.org/p.pdf"
    request = Request(final, meta={"redirect_urls": [linked]})

    [item] = list(spider.parse_document(Response(final, body=b"%PDF-1.4", request=request)))

    assert item.url == linked and item.expect_pdf


def test_a_portal_page_that_cannot_be_read_is_a_warning_naming_it() -> None:
    from scrapy.http import TextResponse

    from crawler.platforms import PortalRequest

    spider, _ = make_spider()
    warnings: list[dict] = []
    spider.crawler.signals.connect(lambda **kw: warnings.append(kw), signal=signals.page_failed, weak=False)
    url = "https://diariet.vaggeryd.se/json"
    portal = PortalRequest("ciceron", "items", url, json_body="{}", state=(("base", "https://diariet.vaggeryd.se"),))
    answer = TextResponse(url, body=b'{"jsonrpc": "2.0", "error": {"message": "no session"}}', encoding="utf-8")

    assert list(spider.parse_portal(answer, portal)) == []
    [warning] = warnings
    assert warning["reason"].startswith(f"{url}: could not read the ciceron page: Ciceron answered an error")


def test_a_link_into_a_portal_on_another_host_is_handed_to_its_adapter(site: SiteVisionSite) -> None:
    spider, _ = make_spider()
    response = HtmlResponse(BASE + "/politik", encoding="utf-8", request=Request(BASE + "/politik"), body=b"""
<html><body><a href="https://sammantradesportal.vaggeryd.se/">Sammantradesportalen</a>
<a href="https://opengov.360online.com/Meetings/VAGGERYDkommun">Insyn</a>
<a href="https://www.facebook.com/vaggeryd">Facebook</a></body></html>""")

    portals = [r for r in requests_from(list(spider.parse_page(response))) if r.callback == spider.parse_portal]

    assert [(r.url, r.cb_kwargs["portal"].platform, r.cb_kwargs["portal"].kind) for r in portals] == [
        ("https://sammantradesportal.vaggeryd.se/committees", "meetingplus", "committees"),
        ("https://opengov.360online.com/Meetings/VAGGERYDkommun", "opengov", "start"),
    ]


# --- documents behind portal calls (FoundProtocol.fetch; Lex2) ----------------------------------------

LEX2 = "https://lex2api.evarmland.se/Lex2PublishWasm"
IDENTITY = f"{LEX2}/publish/savedoctodisk/sunne?documentId=48213"


def _lex2_protocol():
    from crawler.platforms import FoundProtocol, PortalRequest

    state = (("base", LEX2), ("document", "48213"), ("tenant", "sunne"), ("title", "Protokoll KF 2026-06-15"))
    fetch = PortalRequest("lex2", "document", f"{LEX2}/publish/getdocument/sunne", json_body='{"documentId": 48213}',
                          state=state, published_on=date(2026, 6, 15))
    return FoundProtocol(IDENTITY, "Protokoll KF 2026-06-15", date(2026, 6, 15), "Kommunfullmäktige", fetch=fetch)


def _answer(url: str, body: bytes, flags: list[str] | None = None, request: Request | None = None):
    from scrapy.http import TextResponse

    return TextResponse(url, body=body, encoding="utf-8", flags=flags, request=request or Request(url))


def test_a_document_behind_portal_calls_is_known_by_its_identity_not_its_file() -> None:
    from crawler.spiders.protocols import KNOWN_AS

    spider, found = make_spider()
    search = _answer(f"{LEX2}/publish/search/sunne", b"{}")

    [call] = list(spider.protocols([_lex2_protocol()], search))

    assert call.url.endswith("/publish/getdocument/sunne") and call.method == "POST"
    assert call.meta[KNOWN_AS] == IDENTITY and call.cb_kwargs["link"].published_on == date(2026, 6, 15)
    assert call.errback == spider.document_failed
    assert [(f["url"], f["known"]) for f in found] == [(IDENTITY, False)]
    details = _answer(call.url, b'{"id": 48213}', request=call)
    [save] = list(spider.parse_portal(details, **call.cb_kwargs))
    assert save.url == IDENTITY and save.method == "POST"
    saved = _answer(IDENTITY, b'{"fileName": "Lex2_ab12"}', request=save)
    [download] = list(spider.parse_portal(saved, **save.cb_kwargs))
    assert download.url == f"{LEX2}/docs/Lex2_ab12.pdf" and download.callback == spider.parse_document
    [item] = list(spider.parse_document(Response(download.url, body=b"%PDF-1.4", request=download), **download.cb_kwargs))
    assert item.url == IDENTITY and item.link.title == "Protokoll KF 2026-06-15"


def test_a_known_document_behind_portal_calls_costs_one_call_at_most() -> None:
    spider, _ = make_spider(known={IDENTITY})
    search = f"{LEX2}/publish/search/sunne"

    assert list(spider.protocols([_lex2_protocol()], _answer(search, b"{}", flags=[CACHED]))) == []
    [check] = list(spider.protocols([_lex2_protocol()], _answer(search, b"{}")))  # the listing changed
    assert check.cb_kwargs["fetching"].known
    assert list(spider.parse_portal(_answer(check.url, b'{"id": 48213}', flags=[CACHED], request=check),
                                    **check.cb_kwargs)) == []  # its details answer as before: unchanged
    [save] = list(spider.parse_portal(_answer(check.url, b'{"id": 48213, "v": 2}', request=check),
                                      **check.cb_kwargs))
    assert save.url == IDENTITY


def test_a_failing_call_on_the_way_to_a_document_is_that_document_failing() -> None:
    spider, _ = make_spider()
    failures: list[dict] = []
    spider.crawler.signals.connect(lambda **kw: failures.append(kw), signal=signals.document_failed, weak=False)
    [call] = list(spider.protocols([_lex2_protocol()], _answer(f"{LEX2}/publish/search/sunne", b"{}")))
    [save] = list(spider.parse_portal(_answer(call.url, b'{"id": 1}', request=call), **call.cb_kwargs))

    assert list(spider.parse_portal(_answer(IDENTITY, b"<html>Server Error</html>", request=save),
                                    **save.cb_kwargs)) == []
    [failure] = failures
    assert failure["url"] == IDENTITY and "could not read the lex2 page" in failure["reason"]
