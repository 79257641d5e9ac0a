"""SiteVision file archives on the municipality's own site (PLATFORMS.md section 1).

A file-archive portlet lists folders (one per year or body) addressed with `?folder=19.<hex>&sv.url=12.<hex>`
and files at `/download/18.<nodeid>/<timestamp>/<name>.pdf`.  Folder links often say only "2025", which
the generic link follower would not take for a meeting page; this adapter walks every folder.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from parsel import Selector

from crawler.platforms.base import (
    FoundProtocol,
    Listing,
    Platform,
    PortalPage,
    PortalRequest,
    clean,
    dated,
    heading,
    is_protocol,
    links,
)

_FOLDER = re.compile(r"(?:^|&)folder=19\.[0-9a-f]+", re.IGNORECASE)
_YEAR = re.compile(r"^\s*(?:19|20)\d{2}\s*$")


class SiteVisionArchive(Platform):
    name = "sitevision"

    def recognises(self, url: str) -> bool:
        return bool(_FOLDER.search(urlsplit(url).query))

    def recognises_page(self, url: str, selector: Selector) -> bool:
        return self.recognises(url) or bool(selector.css("a[href*='folder=19.']"))

    def entry(self, url: str) -> PortalRequest:
        return PortalRequest(self.name, "folder", url)

    def parse(self, page: PortalPage) -> Listing:
        selector = page.selector()
        committee = page.request.committee or _committee(selector)
        folders = [page.request.next("folder", page.absolute(href),
                                     committee=committee if _YEAR.match(text) else text or committee)
                   for href, text in links(selector, "a[href*='folder=19.']")]
        files = [FoundProtocol(page.absolute(href), text, dated(text, page.absolute(href)), committee)
                 for href, text in links(selector, "a[href*='/download/18.']")
                 if is_protocol(text, page.absolute(href))]
        return Listing(tuple(files), tuple(folders))


def _committee(selector: Selector) -> str:
    title = heading(selector)
    return clean(re.sub(r"(?i)\b(?:protokoll|kallelser|och|handlingar|möten|,)\b", " ", title)) or title
