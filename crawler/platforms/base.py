"""What every platform adapter speaks: the request it wants next, the page it gets, what it found.

An adapter is pure: it reads a page (HTML or JSON bytes) and says which protocols it lists (URL, title,
date, committee) and which further portal pages to read.  The spider does the fetching; adapters never
touch the network, so their tests build a page from saved bytes.

Most protocols are files at a stable URL.  Some portals hand a file out only through calls (Lex2 writes it
to a temporary file per request): such a protocol keeps a stable URL as its identity and says in `fetch`
which portal call leads to the file; the spider makes that call (and those it leads to) only for
documents it does not know yet, or to recheck a known one.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler.dates import date_in_text, date_in_url
from monitor.municipalities import fold_name

_NOT_PROTOCOL = re.compile(r"anteckning|bilaga|kallelse|foredragningslista|dagordning|kungorelse")


@dataclass(frozen=True)
class PortalRequest:
    """One page or API call of a portal, with what the adapter already knows on the way down."""

    platform: str
    kind: str  # the adapter's name for the page: "committees", "meeting", "read", ...
    url: str
    json_body: str | None = None  # POST this JSON (JSON-RPC); None means GET
    committee: str = ""
    published_on: date | None = None
    state: tuple[tuple[str, str], ...] = ()  # e.g. a session id or the path of channel ids
    since: date | None = None  # a backfill's first day (--since): adapters that search by date go back to it
    cache_as: str = ""  # what the call's answer is remembered by, when its body carries per-session values

    def get(self, key: str, default: str = "") -> str:
        return dict(self.state).get(key, default)

    def next(self, kind: str, url: str, **changes: Any) -> PortalRequest:
        """A request further down: same platform, committee and state unless changed."""
        return replace(self, kind=kind, url=url, json_body=changes.pop("json_body", None),
                       cache_as=changes.pop("cache_as", ""), **changes)


@dataclass(frozen=True)
class FoundProtocol:
    url: str  # the document's identity (where it is fetched from, unless `fetch` says otherwise)
    title: str
    published_on: date | None
    committee: str = ""
    fetch: PortalRequest | None = None  # the portal call that leads to the file, when it is not at `url`


@dataclass(frozen=True)
class Listing:
    protocols: tuple[FoundProtocol, ...] = ()
    follow: tuple[PortalRequest, ...] = ()


@dataclass(frozen=True)
class PortalPage:
    request: PortalRequest
    url: str
    body: bytes = field(repr=False)
    encoding: str = "utf-8"

    @property
    def text(self) -> str:
        return self.body.decode(self.encoding, errors="replace")

    def selector(self) -> Selector:
        return Selector(text=self.text)

    def json(self) -> Any:
        return json.loads(self.text)

    def absolute(self, href: str) -> str:
        return urljoin(self.url, href.strip())


class Platform(ABC):
    """A meeting portal or CMS archive: recognised by its URLs (or pages), read by `parse`."""

    name: ClassVar[str]

    def recognises(self, url: str) -> bool:
        """Is this a link into the platform (a portal's home, committee, meeting or API address)?"""
        return False

    def recognises_page(self, url: str, selector: Selector) -> bool:
        """Is this page (on the municipality's own site) one the adapter reads better than plain links?"""
        return False

    @abstractmethod
    def entry(self, url: str) -> PortalRequest:
        """Where to begin reading, given a recognised link or page."""

    @abstractmethod
    def parse(self, page: PortalPage) -> Listing:
        """The protocols a page lists, and the portal pages to read next."""


# --- helpers the adapters share ------------------------------------------------------------------


def is_protocol(title: str, url: str = "") -> bool:
    """A protocol (also 'Direktjusterat protokoll §§ 4-6'), not a notice, agenda, annex or note."""
    words = fold_name(f"{title} {urlsplit(url).path.rsplit('/', 1)[-1]}")
    return "protokoll" in words and not _NOT_PROTOCOL.search(fold_name(title))


def clean(text: str | None) -> str:
    return " ".join((text or "").split())


def dated(*texts: str) -> date | None:
    """The first date in the texts (link text, heading), then in the URLs among them."""
    for text in texts:
        found = date_in_text(text, compact=False)
        if found:
            return found
    for text in texts:
        if text.startswith(("http://", "https://", "/")):
            found = date_in_url(text)
            if found:
                return found
    return None


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def path_of(url: str) -> str:
    return urlsplit(url).path


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def links(selector: Selector, css: str) -> list[tuple[str, str]]:
    """(href, text) of the anchors matching `css`."""
    return [(a.attrib.get("href", ""), clean(a.xpath("string(.)").get())) for a in selector.css(css)]


def heading(selector: Selector) -> str:
    return clean(selector.xpath("string(//h1)").get())
