"""OpenGov 360online, "Insyn i politiken" (PLATFORMS.md section 6).

`https://opengov.360online.com/Meetings/<ORGANISATION>` lists the boards (`/Boards/Details/<id>`, one per
body and year) and meetings (`/Meetings/Details/<id>`, "N möten hittades"); a meeting page has a "Dokument"
panel with files `/File/Details/<fileid>.PDF?fileName=<name>&fileSize=<n>`.  "Inställt" and
"Inte publicerat" entries carry no links.
"""

from __future__ import annotations

import re

from crawler.platforms.base import (
    FoundProtocol,
    Listing,
    Platform,
    PortalPage,
    PortalRequest,
    dated,
    heading,
    host_of,
    is_protocol,
    links,
    path_of,
)

_START = re.compile(r"^/Meetings/(?!Details/)[^/]+/?$")
_BOARD = re.compile(r"^/Boards/Details/\d+")
_MEETING = re.compile(r"^/Meetings/Details/\d+")
_BOARD_YEAR = re.compile(r"\s*\b(?:19|20)\d{2}\b\s*$")


class OpenGov(Platform):
    name = "opengov"

    def recognises(self, url: str) -> bool:
        path = path_of(url)
        if host_of(url) == "opengov.360online.com":
            return True
        return bool(_START.match(path) or _BOARD.match(path) or _MEETING.match(path))

    def entry(self, url: str) -> PortalRequest:
        path = path_of(url)
        kind = "meeting" if _MEETING.match(path) else "board" if _BOARD.match(path) else "start"
        return PortalRequest(self.name, kind, url)

    def parse(self, page: PortalPage) -> Listing:
        if page.request.kind == "meeting":
            return Listing(protocols=tuple(self._files(page)))
        return Listing(follow=tuple(self._boards(page) + self._meetings(page)))

    def _boards(self, page: PortalPage) -> list[PortalRequest]:
        if page.request.kind != "start":
            return []
        return [page.request.next("board", page.absolute(href), committee=_BOARD_YEAR.sub("", text))
                for href, text in links(page.selector(), "a[href*='/Boards/Details/']")]

    def _meetings(self, page: PortalPage) -> list[PortalRequest]:
        selector = page.selector()
        committee = page.request.committee or _BOARD_YEAR.sub("", heading(selector))
        return [page.request.next("meeting", page.absolute(href), committee=committee, published_on=dated(text))
                for href, text in links(selector, "a[href*='/Meetings/Details/']")]

    def _files(self, page: PortalPage) -> list[FoundProtocol]:
        selector = page.selector()
        day = page.request.published_on or dated(heading(selector))
        committee = page.request.committee
        found = []
        for href, text in links(selector, "a[href*='/File/Details/']"):
            url = page.absolute(href)
            if is_protocol(text, url):
                found.append(FoundProtocol(url, text, dated(text) or day, committee))
        return found
