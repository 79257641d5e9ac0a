"""Netpublicator's public reader and its JSON API (PLATFORMS.md section 3).

Municipal pages link a reader (`https://www.netpublicator.com/reader/r90521909`) or embed a script
that calls the API directly.  The API, on docs.netpublicator.com:

- `GET /api/public/<reader>/read?hash=<root>&isr=true` -> the root channels (one per body);
- `GET /api/public/<reader>/read?hash=<root>-<id>[-<id>...]&isr=false` -> a channel's children
  (year channels, meetings) or a meeting's items.  Answers `{"history": [...], "items": [...]}`
  (meetings may also answer `"documents"`); each entry is `{"id", "text", "type"}` with type
  `channel`, `meeting` or `document`;
- `GET /api/public/<reader>/document/<docId>?hash=<path of the parent>&cache=0` -> the PDF.

The reader page itself is a script app; it names its reader and root id (`rootID`) in its script.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

from crawler.platforms.base import (
    FoundProtocol,
    Listing,
    Platform,
    PortalPage,
    PortalRequest,
    clean,
    dated,
    host_of,
    is_protocol,
    origin,
    path_of,
)

_READER = re.compile(r"/reader/(?P<reader>r\d+)")
_API = re.compile(r"/api/public/(?P<reader>r\d+)/read")
_ROOT_ID = re.compile(r"rootI[dD]\s*[:=]\s*['\"](?P<root>[0-9a-f]+)['\"]")
_CONTAINERS = ("channel", "meeting", "folder")


class Netpublicator(Platform):
    name = "netpublicator"

    def recognises(self, url: str) -> bool:
        return bool(_READER.search(path_of(url)) or _API.search(path_of(url)))

    def entry(self, url: str) -> PortalRequest:
        api = _API.search(path_of(url))
        if api is None:
            return PortalRequest(self.name, "reader", url)
        query = parse_qs(urlsplit(url).query)
        path = query.get("hash", [""])[0]
        return self._read(PortalRequest(self.name, "read", url), api_base(url), api["reader"], path)

    def parse(self, page: PortalPage) -> Listing:
        if page.request.kind == "reader":
            return self._reader(page)
        return self._channel(page)

    def _reader(self, page: PortalPage) -> Listing:
        reader = _READER.search(path_of(page.url))
        root = _ROOT_ID.search(page.text)
        if reader is None or root is None:
            raise ValueError("the reader page names no reader and root id (rootID)")
        return Listing(follow=(self._read(page.request, api_base(page.url), reader["reader"], root["root"]),))

    def _read(self, request: PortalRequest, base: str, reader: str, path: str, **changes) -> PortalRequest:
        query = urlencode({"hash": path, "isr": "false" if "-" in path else "true"})
        state = (("base", base), ("reader", reader), ("path", path))
        return request.next("read", f"{base}/api/public/{reader}/read?{query}", state=state, **changes)

    def _channel(self, page: PortalPage) -> Listing:
        data = page.json()
        entries = list(data.get("items") or []) + list(data.get("documents") or [])
        request = page.request
        protocols, follow = [], []
        for entry in entries:
            kind, text = str(entry.get("type", "")).lower(), clean(str(entry.get("text") or entry.get("name") or ""))
            if kind == "document" and is_protocol(text):
                protocols.append(self._document(request, str(entry["id"]), text))
            elif kind in _CONTAINERS and not (request.published_on and kind == "channel"):
                follow.append(self._child(request, str(entry["id"]), kind, text))
        return Listing(tuple(protocols), tuple(follow))

    def _child(self, request: PortalRequest, child: str, kind: str, text: str) -> PortalRequest:
        path = f"{request.get('path')}-{child}"
        top = request.get("path").count("-") == 0
        committee = text if top and kind == "channel" else request.committee
        day = dated(text) if kind == "meeting" else request.published_on
        return self._read(request, request.get("base"), request.get("reader"), path, committee=committee,
                          published_on=day)

    def _document(self, request: PortalRequest, document: str, text: str) -> FoundProtocol:
        query = urlencode({"hash": request.get("path"), "cache": "0"})
        url = f"{request.get('base')}/api/public/{request.get('reader')}/document/{document}?{query}"
        day = dated(text) or request.published_on
        committee = request.committee
        title = text if committee.lower() in text.lower() else clean(f"{committee}: {text}")
        return FoundProtocol(url, title, day, committee)


def api_base(url: str) -> str:
    """The API's origin: docs.netpublicator.com for Netpublicator's own hosts, else the link's origin."""
    host = host_of(url)
    if host == "netpublicator.com" or host.endswith(".netpublicator.com"):
        return "https://docs.netpublicator.com"
    return origin(url)
