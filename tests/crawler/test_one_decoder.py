"""Listings and link discovery read a page with the project's decoder, as documents are read.

A short Windows-1252 page that declares no charset is what Scrapy's own guess (charset-normalizer) reads as
hp-roman8 ("Sammantrðden") or cp1250 ("frĺn"): the navigation link is not recognised and link titles are
garbled.  Served over loopback and crawled through `python -m crawler.run`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from scrapy.http import HtmlResponse

from crawler.middlewares.decoding import ProjectDecodingMiddleware
from tests.support.crawls import CrawlHarness
from tests.support.httpserver import FixtureServer
from tests.support.sites import example_body, pdf_document

START = '<html><body><a href="/p/4711">Sammanträden</a><a href="/p/4712">Nämnder</a></body></html>'
LISTING = ('<html><body><h1>Sammanträden</h1><ul><li><a href="/arkiv/d1.pdf">Protokoll från fullmäktige den 28:e '
           'oktober 2025</a></li></ul></body></html>')
WITHOUT_CHARSET = {"Content-Type": "text/html"}


def test_scrapy_alone_misreads_the_start_page_and_the_middleware_reads_it_right() -> None:
    response = HtmlResponse("http://kommun.example/", body=START.encode("cp1252"), headers=WITHOUT_CHARSET)
    assert response.css("a::text").get() != "Sammanträden"  # the guess this fixes (mac-latin2 with Scrapy 2.19)

    decoded = ProjectDecodingMiddleware().process_response(response.request, response)

    assert decoded.encoding == "cp1252" and decoded.body == response.body
    assert decoded.css("a::text").getall() == ["Sammanträden", "Nämnder"]


def test_an_undeclared_windows_1252_listing_is_crawled_with_its_titles_right(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "p").mkdir(parents=True)
    (root / "arkiv").mkdir()
    (root / "index.html").write_bytes(START.encode("cp1252"))
    (root / "p" / "4711").write_bytes(LISTING.encode("cp1252"))
    (root / "p" / "4712").write_bytes(b"<html><body><p>Inga n\xe4mnder h\xe4r.</p></body></html>")
    (root / "arkiv" / "d1.pdf").write_bytes(pdf_document("Protokoll", [example_body(date(2025, 10, 28)).split("\n")]))
    with FixtureServer(root) as server:
        for path in ("/index.html", "/p/4711", "/p/4712"):
            server.set_headers(path, WITHOUT_CHARSET)
        harness = CrawlHarness(tmp_path, [server.url("/index.html")])
        try:
            result = harness.crawl()
            stored = harness.stored()
        finally:
            harness.close()

    assert result.exit_code == 0, (result.summary, result.stderr)
    assert server.requests("/p/4711") == 1  # the "Sammanträden" link was recognised and followed
    document = stored[server.url("/arkiv/d1.pdf")]
    assert document.title == "Protokoll från fullmäktige den 28:e oktober 2025"
    assert document.published_on == date(2025, 10, 28)
