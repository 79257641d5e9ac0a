"""Plain CMS pages that list protocol files (PLATFORMS.md section 7: Umbraco, WordPress, EPiServer).

One page with a heading per body (h2) and per year (h3) and direct links such as
`/media/<hash>/protokoll-YYYY-MM-DD.pdf` or `/wp-content/uploads/...`.  The adapter reads the committee
from the nearest heading above each link and the date from the link text or file name.
"""

from __future__ import annotations

import re

from parsel import Selector

from crawler.links import looks_like_document
from crawler.platforms.base import (
    FoundProtocol,
    Listing,
    Platform,
    PortalPage,
    PortalRequest,
    clean,
    dated,
    is_protocol,
)

MIN_PROTOCOL_LINKS = 2
_YEAR = re.compile(r"^\s*(?:19|20)\d{2}\s*$")
_WALK = "//h2 | //h3 | //a[@href]"


class PdfList(Platform):
    name = "pdflist"

    def recognises_page(self, url: str, selector: Selector) -> bool:
        count = sum(1 for a in selector.xpath("//a[@href]")
                    if _is_protocol_link(a.attrib["href"], clean(a.xpath("string(.)").get())))
        return count >= MIN_PROTOCOL_LINKS and bool(selector.xpath("//h2"))

    def entry(self, url: str) -> PortalRequest:
        return PortalRequest(self.name, "list", url)

    def parse(self, page: PortalPage) -> Listing:
        committee, found = "", []
        for node in page.selector().xpath(_WALK):
            text = clean(node.xpath("string(.)").get())
            tag = node.root.tag
            if tag == "h2":
                committee = text
            elif tag == "a" and _is_protocol_link(node.attrib["href"], text):
                url = page.absolute(node.attrib["href"])
                found.append(FoundProtocol(url, text, dated(text, url), committee))
        return Listing(protocols=tuple(found))


def _is_protocol_link(href: str, text: str) -> bool:
    return looks_like_document(href) and is_protocol(text, href)
