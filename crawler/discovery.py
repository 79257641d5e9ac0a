"""Where protocols may live, beyond plain links: portals embedded in a page, and sitemaps.

Municipal pages often only host a portal's widget: an iframe (Lex2, Ciceron), a script that calls the
portal's API (Netpublicator's `np-kommunfullmaktige.js`), or a plain link.  Sitemaps, where a site offers
one at `/sitemap.xml`, name meeting pages the menus hide.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from scrapy.utils.sitemap import Sitemap

from crawler.links import folded_words, is_http, looks_like_document

_ABSOLUTE_URL = re.compile(r"""https?://[^\s"'<>\\)]+""")
_PORTAL_SCRIPT = re.compile(r"(?:^|[/_-])(?:np-|netpublicator|meetings?plus|ciceron|opengov)", re.IGNORECASE)
_PROTOCOL_WORDS = re.compile(r"protokoll|sammantrade|kallelse|handlingar|\bmoten?\b|kommunfullmaktige|namnd")
MAX_SITEMAP_PAGES = 50  # a CMS sitemap can name thousands of pages; take the likeliest


def embedded_urls(selector: Selector, base_url: str) -> list[str]:
    """Frame sources and absolute URLs written in scripts or data attributes, in page order, once each."""
    found = [urljoin(base_url, src) for src in selector.xpath("//iframe/@src | //frame/@src").getall()]
    for text in selector.xpath("//script/text() | //@*[starts-with(name(), 'data-')]").getall():
        found += _ABSOLUTE_URL.findall(text)
    return _unique(url.rstrip(".,;") for url in found if is_http(url))


def portal_scripts(selector: Selector, base_url: str) -> list[str]:
    """Scripts whose names say they load a portal widget (read for the API address inside)."""
    sources = (urljoin(base_url, src) for src in selector.xpath("//script/@src").getall())
    return _unique(src for src in sources if _PORTAL_SCRIPT.search(urlsplit(src).path.rsplit("/", 1)[-1]))


def script_urls(text: str) -> list[str]:
    return _unique(_ABSOLUTE_URL.findall(text))


def sitemap_url(start_url: str) -> str:
    parts = urlsplit(start_url)
    return f"{parts.scheme}://{parts.netloc}/sitemap.xml"


def read_sitemap(body: bytes) -> tuple[list[str], list[str]]:
    """(pages and documents worth a look, nested sitemaps) from a sitemap or sitemap index."""
    try:
        sitemap = Sitemap(body)
    except Exception:  # noqa: BLE001 - lxml raises several types for non-XML bodies
        return [], []
    urls = [entry["loc"] for entry in sitemap if entry.get("loc")]
    if sitemap.type == "sitemapindex":
        return [], urls
    likely = [url for url in urls if looks_like_document(url) or _PROTOCOL_WORDS.search(folded_words(urlsplit(url).path))]
    return likely[:MAX_SITEMAP_PAGES], []


def _unique(urls) -> list[str]:
    return list(dict.fromkeys(urls))
