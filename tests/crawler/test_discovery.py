"""Discovery beyond menus: portals embedded in a page, and the site's sitemap."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from parsel import Selector

from crawler.discovery import embedded_urls, portal_scripts, read_sitemap
from tests.support.crawls import CrawlHarness
from tests.support.httpserver import FixtureServer
from tests.support.sites import Protocol, example_body, protocol_pdf

PAGE = """<html><head><script src="/sitevision/np-kommunfullmaktige.js"></script><script src="/js/jquery.js"></script>
<script>var api = "https://docs.netpublicator.com/api/public/r1/read?hash=ab&isr=true";</script></head>
<body><iframe src="https://lex2api.evarmland.se/Lex2PublishWasm"></iframe>
<div data-portal="https://opengov.360online.com/Meetings/SUNNEkommun"></div></body></html>"""


def test_frames_scripts_and_data_attributes_name_their_portals() -> None:
    selector = Selector(text=PAGE)

    assert embedded_urls(selector, "https://www.sunne.se/politik") == [
        "https://lex2api.evarmland.se/Lex2PublishWasm",
        "https://docs.netpublicator.com/api/public/r1/read?hash=ab&isr=true",
        "https://opengov.360online.com/Meetings/SUNNEkommun",
    ]
    assert portal_scripts(selector, "https://www.sunne.se/politik") == [
        "https://www.sunne.se/sitevision/np-kommunfullmaktige.js"]


SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/om-kommunen/kontakt.html</loc></url>
<url><loc>{base}/arkiv/kf-protokoll-2025.html</loc></url>
</urlset>"""


def test_a_sitemap_names_the_likely_pages_and_an_index_its_sitemaps() -> None:
    pages, nested = read_sitemap(SITEMAP.format(base="https://x.se").encode())
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://x.se/sitemap-1.xml</loc></sitemap></sitemapindex>"""

    assert (pages, nested) == (["https://x.se/arkiv/kf-protokoll-2025.html"], [])
    assert read_sitemap(index) == ([], ["https://x.se/sitemap-1.xml"])
    assert read_sitemap(b"<html>not a sitemap</html>") == ([], [])


def test_a_protocol_page_only_the_sitemap_knows_is_found(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "arkiv").mkdir(parents=True)
    (root / "index.html").write_text("<html><body><h1>Välkommen</h1><a href='/skola.html'>Skola</a></body></html>",
                                     encoding="utf-8")
    day = date(2025, 10, 28)
    (root / "arkiv" / "protokoll-kf-2025-10-28.pdf").write_bytes(
        protocol_pdf(Protocol("Protokoll KF", day, example_body(day))))
    (root / "arkiv" / "kf-protokoll-2025.html").write_text(
        "<html><body><h1>Arkiv</h1><a href='/arkiv/protokoll-kf-2025-10-28.pdf'>Protokoll 2025-10-28</a>"
        "</body></html>", encoding="utf-8")
    with FixtureServer(root) as server:
        (root / "sitemap.xml").write_text(SITEMAP.format(base=server.url("")), encoding="utf-8")
        harness = CrawlHarness(tmp_path, [server.url("/")])
        result = harness.crawl()

    assert result.exit_code == 0, result.summary
    [stored] = harness.stored().values()
    assert stored.url == server.url("/arkiv/protokoll-kf-2025-10-28.pdf") and stored.published_on == day
    harness.close()
