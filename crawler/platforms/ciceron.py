"""Ciceron (Visma) public search, "Ciceronsök" (PLATFORMS.md section 4).

The public side is an AngularJS hashbang app (`https://diariet.<kommun>.se/#!/search/...`); everything it
shows comes from JSON-RPC 2.0 at `POST <host>/json`:

1. `CiceronsokServer:ReadHotspots` -> a `session_id` (in the result);
2. `CiceronsokServer:Search` with `search_id`, `doctype` 64 (Sammanträdesprotokoll), `text`, `param`;
3. `CiceronsokServer:ReadItems` with `offset`, `limit` -> meetings titled "Kommunfullmäktige YYYY-MM-DD";
4. `CiceronsokServer:ReadObjectDetails` with the item's `id` -> `documents[]` (`name`, `id`, `filename_b64`);
5. the file: `GET <host>/download/document?filename=<filename_b64>&id=<id>` (HEAD answers 404; GET works).

Results carry `value`, sometimes as a JSON string; both forms are read.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode, urlsplit

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
)

_HOSTS = re.compile(r"^(?:diariet|diarier|diarium|anslagstavla)\.|^sok-|-sok\.ciceron\.cloud$|\.ciceron\.cloud$")
_FRAGMENT = re.compile(r"^!/(?:search|billboard)")
SEARCH_ID = "ciceronsok_search"
PROTOCOL_DOCTYPE = 64
PAGE_SIZE = 100
_DATE_SUFFIX = re.compile(r"\s+\d{4}-\d{2}-\d{2}.*$")


class Ciceron(Platform):
    name = "ciceron"

    def recognises(self, url: str) -> bool:
        return bool(_FRAGMENT.match(urlsplit(url).fragment) or _HOSTS.search(host_of(url)))

    def entry(self, url: str) -> PortalRequest:
        return rpc(PortalRequest(self.name, "", url), "hotspots", "ReadHotspots", {},
                   base=origin(url))

    def parse(self, page: PortalPage) -> Listing:
        answer = page.json()
        if answer.get("error"):
            raise ValueError(f"Ciceron answered an error: {clean(str(answer['error']))[:200]}")
        result = answer.get("result") or {}
        request = page.request
        if request.kind == "hotspots":
            session = {"session_id": str(result.get("session_id") or request.get("session_id"))}
            return Listing(follow=(self._search(request, session),))
        if request.kind == "search":
            return Listing(follow=(self._items(request, 0),))
        if request.kind == "items":
            return self._meetings(request, _value(result))
        return Listing(protocols=tuple(self._documents(request, _value(result))))

    def _search(self, request: PortalRequest, session: dict[str, str]) -> PortalRequest:
        params = {"search_id": SEARCH_ID, "doctype": PROTOCOL_DOCTYPE, "text": "",
                  "param": json.dumps({"hasFiles": True})}
        return rpc(request, "search", "Search", params, **session)

    def _items(self, request: PortalRequest, offset: int) -> PortalRequest:
        return rpc(request, "items", "ReadItems", {"search_id": SEARCH_ID, "offset": offset, "limit": PAGE_SIZE},
                   offset=str(offset))

    def _meetings(self, request: PortalRequest, value: Any) -> Listing:
        items = value.get("items", []) if isinstance(value, dict) else list(value or [])
        follow = []
        for item in items:
            title = clean(str(item.get("title") or item.get("name") or ""))
            details = rpc(request, "details", "ReadObjectDetails", {"search_id": SEARCH_ID, "id": str(item["id"])})
            follow.append(details.next("details", details.url, json_body=details.json_body,
                                       committee=_DATE_SUFFIX.sub("", title), published_on=dated(title)))
        if len(items) >= PAGE_SIZE:
            follow.append(self._items(request, int(request.get("offset", "0")) + PAGE_SIZE))
        return Listing(follow=tuple(follow))

    def _documents(self, request: PortalRequest, value: Any) -> list[FoundProtocol]:
        documents = value.get("documents", []) if isinstance(value, dict) else []
        base = request.get("base")
        found = []
        for document in documents:
            name = clean(str(document.get("name") or document.get("title") or ""))
            if not is_protocol(name):
                continue
            query = urlencode({"filename": document["filename_b64"], "id": document["id"]})
            found.append(FoundProtocol(f"{base}/download/document?{query}", name,
                                       dated(name) or request.published_on, request.committee))
        return found


def rpc(request: PortalRequest, kind: str, method: str, params: dict[str, Any], **state: str) -> PortalRequest:
    """A JSON-RPC 2.0 call to <base>/json, carrying the session id once known."""
    merged = {**dict(request.state), **state}
    if merged.get("session_id"):
        params = {"session_id": merged["session_id"], **params}
    body = json.dumps({"jsonrpc": "2.0", "method": f"CiceronsokServer:{method}", "params": params, "id": 1})
    return request.next(kind, f"{merged['base']}/json", json_body=body, state=tuple(sorted(merged.items())))


def _value(result: dict[str, Any]) -> Any:
    value = result.get("value", result)
    return json.loads(value) if isinstance(value, str) else value
