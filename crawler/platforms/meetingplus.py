"""MeetingPlus / Meetings Plus (Formpipe) sammanträdesportal.

The same URL structure on every install (PLATFORMS.md section 2):
committee list `/committees`, committee page `/committees/<slug>` listing its meetings,
meeting page `/committees/<slug>/mote-YYYY-MM-DD` (or `<slug>-<id>`; cancelled ones end `-installt`),
protocol link `.../<meeting>/protocol/<file>pdf?downloadMode=open`.  Links are often relative.
Hosts vary (sammantradesportal.<kommun>.se, meetingsplus.<kommun>.se, <name>.ondemand.formpipe.com, ...).
"""

from __future__ import annotations

import re

from crawler.platforms.base import (
    FoundProtocol,
    Listing,
    Platform,
    PortalPage,
    PortalRequest,
    clean,
    dated,
    heading,
    host_of,
    links,
    origin,
    path_of,
)

_HOSTS = re.compile(r"^(?:sammantradesportal|sammantraden|meetingsplus|meetings?|forum|edokmeetings|meetingspublic"
                    r"|motenmedborgarportal)\.|\.ondemand\.formpipe\.com$")
_PATH = re.compile(r"^(?P<prefix>(?:/[^/]+)?)/committees(?:/(?P<committee>[^/?#]+)(?:/(?P<meeting>[^/?#]+))?)?/?$")
_CANCELLED = "-installt"


class MeetingPlus(Platform):
    name = "meetingplus"

    def recognises(self, url: str) -> bool:
        return bool(_HOSTS.search(host_of(url)) or _PATH.match(path_of(url)))

    def entry(self, url: str) -> PortalRequest:
        match = _PATH.match(path_of(url))
        if match is None:
            return PortalRequest(self.name, "committees", origin(url) + "/committees")
        kind = "meeting" if match["meeting"] else "committee" if match["committee"] else "committees"
        return PortalRequest(self.name, kind, url, published_on=dated(url) if kind == "meeting" else None)

    def parse(self, page: PortalPage) -> Listing:
        kind = page.request.kind
        if kind == "committees":
            return Listing(follow=tuple(self._committees(page)))
        if kind == "committee":
            return Listing(follow=tuple(self._meetings(page)))
        return Listing(protocols=tuple(self._protocols(page)))

    def _committees(self, page: PortalPage) -> list[PortalRequest]:
        found = []
        for href, text in links(page.selector(), "a[href*='/committees/']"):
            url = page.absolute(href)
            match = _PATH.match(path_of(url))
            if match and match["committee"] and not match["meeting"]:
                found.append(page.request.next("committee", url, committee=text))
        return found

    def _meetings(self, page: PortalPage) -> list[PortalRequest]:
        selector = page.selector()
        committee = page.request.committee or heading(selector)
        scope = selector.css("#committeesRecentContent") or selector
        found = []
        for href, text in links(scope, "a[href*='/committees/']"):
            url = page.absolute(href)
            match = _PATH.match(path_of(url))
            if match and match["meeting"] and not match["meeting"].endswith(_CANCELLED):
                found.append(page.request.next("meeting", url, committee=committee,
                                               published_on=dated(text, url)))
        return found

    def _protocols(self, page: PortalPage) -> list[FoundProtocol]:
        selector = page.selector()
        day = page.request.published_on or dated(heading(selector), page.url)
        committee = page.request.committee or heading(selector)
        title = clean(f"Protokoll {committee} {day or ''}")
        return [FoundProtocol(page.absolute(href), title, day, committee)
                for href, _text in links(selector, "a[href*='/protocol/']")]
