"""Lex / Lex2 webbdiarium, the Värmland shared service (PLATFORMS.md section 5; Sunne).

UNTESTED AGAINST THE REAL SERVICE: written without access to lex2api.evarmland.se.  The addresses and
the search request's body are the ones PLATFORMS.md records; every *answer* shape below is assumed, so
the parsing is tolerant (key names in any case, a few alternative names, lists or wrapping objects).

A municipal (EPiServer) page embeds the Blazor WASM app in an iframe,
`https://lex2api.evarmland.se/Lex2PublishWasm`.  The tenant (which municipality's diarium) is read from
that URL, as a path segment (`/Lex2PublishWasm/sunne`) or a query parameter (`?tenant=sunne`); an iframe
that names neither is fetched, and its page searched for a tenant (`tenant: "sunne"`, or a
`<base href="/Lex2PublishWasm/sunne/">`).  API addresses (`.../publish/<call>/<tenant>`) are recognised
too.  The anslagstavla, `.../Lex2PinBoardWeb`, speaks SignalR and is not read.

The calls, under `<origin>/Lex2PublishWasm`:

1. `GET publish/getsubjectareas/{tenant}` -> the subject areas (ämnesområden); assumed a list of
   `{"id", "name"}` (or an object holding one).  Their ids rotate per session, so they are used at once.
2. `POST publish/search/{tenant}` with
   `{"infoTypes": {"document": true, "case": false, "meeting": false}, "subjects": [<ids>],
   "fromDate": "YYYY-MM-DD", "toDate": "YYYY-MM-DD", "searchText": ""}`, one calendar month at a time
   (wide ranges time out): the last ``MONTHS_BACK`` months, or back to a backfill's --since day.  Answer
   assumed a list of hits (or `{"hits": [...]}`), each `{"id", "infoType", "title", "owner", "date"}`
   with owners like `KF/2026-06-15` (committee abbreviation / meeting date).  The search text stays
   empty: titles carry typos ("Kommunfullmäktiges protokol ..."), which a token search would miss.
3. for each protocol among the documents (not kallelser, bilagor, ...): `POST publish/getdocument/{tenant}`
   with `{"documentId": <id>}` -> the document's details (assumed an object; PLATFORMS.md writes this path
   without the `Lex2PublishWasm` prefix, the adapter assumes it shares its siblings' prefix);
4. `POST publish/savedoctodisk/{tenant}` with `{"documentId": <id>}` -> `{"fileName": ...}` (assumed),
5. `GET docs/<fileName>.pdf`, the file.

The file name is new for every call, so a protocol's identity is not its file: it is
`<api>/publish/savedoctodisk/{tenant}?documentId=<id>` (the call of step 4 is made to that very URL; the
query is ours, the server reads the body).  Steps 3-5 are the protocol's `fetch` (see
crawler.platforms.base): the spider makes them only for documents it does not know yet, and for a known
one on a search answer that changed stops after step 3 when the details answer as they did last time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit

from crawler.platforms.base import (
    FoundProtocol,
    Listing,
    Platform,
    PortalPage,
    PortalRequest,
    clean,
    dated,
    is_protocol,
    origin,
)
from monitor.municipalities import fold_name

APP = "Lex2PublishWasm"
MONTHS_BACK = 24  # months searched on an ordinary crawl, this one included
MAX_MONTHS = 12 * 30  # however early a --since day is
_APP_PATH = re.compile(rf"^(?P<prefix>.*?/{APP})(?:/(?P<rest>[^?#]*))?$", re.IGNORECASE)
_API_CALL = re.compile(r"^publish/(?P<call>[a-z]+)/(?P<tenant>[^/]+)/?$", re.IGNORECASE)
_NOT_TENANTS = {"publish", "docs", "_framework", "_content", "css", "js", "lib", "index.html"}
_TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_TENANT_IN_PAGE = re.compile(
    rf"""tenant["']?\s*[:=]\s*["'](?P<a>[A-Za-z0-9_.-]+)["']|<base\s+href=["'][^"']*/{APP}/(?P<b>[A-Za-z0-9_.-]+)/?["']""",
    re.IGNORECASE)
_OWNER = re.compile(r"^\s*(?P<body>[^/]+?)\s*/\s*(?P<day>\d{4}-\d{2}-\d{2})")
_PROTOCOL_TYPO = re.compile(r"\bpro?to?ko?ll?\b")  # protokol, protkoll, prtokoll, protokll
_NOT_DOCUMENTS = {"case", "arende", "errand", "meeting", "mote", "sammantrade"}
COMMITTEES = {
    "KF": "Kommunfullmäktige", "KS": "Kommunstyrelsen", "KSAU": "Kommunstyrelsens arbetsutskott",
    "AU": "Arbetsutskottet", "BUN": "Barn- och utbildningsnämnden", "SN": "Socialnämnden",
    "SOCN": "Socialnämnden", "MBN": "Miljö- och byggnadsnämnden", "BMN": "Bygg- och miljönämnden",
    "KFN": "Kultur- och fritidsnämnden", "TN": "Tekniska nämnden", "VN": "Valnämnden",
    "ÖFN": "Överförmyndarnämnden", "RN": "Revisionen",
}


class Lex2(Platform):
    name = "lex2"

    def __init__(self, today: Callable[[], date] = date.today):
        self.today = today

    def recognises(self, url: str) -> bool:
        parts = _app_parts(url)
        return parts is not None and not parts[1].lower().startswith("docs/")

    def entry(self, url: str) -> PortalRequest:
        parts = _app_parts(url)
        if parts is None:
            raise ValueError(f"not a Lex2 address: {url}")
        base, tenant = parts[0], tenant_of(url)
        if tenant is None:
            return PortalRequest(self.name, "app", url, state=(("base", base),))
        return subject_areas(PortalRequest(self.name, "", url), base, tenant)

    def parse(self, page: PortalPage) -> Listing:
        kind = page.request.kind
        if kind == "app":
            return self._app(page)
        answer = _json(page)
        if kind == "subjects":
            return Listing(follow=tuple(self.searches(page.request, subject_ids(answer))))
        if kind == "search":
            return Listing(protocols=tuple(found_protocols(page.request, hits(answer))))
        if kind == "document":
            return _details(page.request, answer)
        if kind == "save":
            return Listing(protocols=(_file(page.request, answer),))
        raise ValueError(f"unknown Lex2 call {kind!r}")

    def _app(self, page: PortalPage) -> Listing:
        found = _TENANT_IN_PAGE.search(page.text)
        if found is None:
            raise ValueError(f"the Lex2 app names no tenant: give it in the iframe URL (/{APP}/<tenant> "
                             f"or ?tenant=<tenant>)")
        return Listing(follow=(subject_areas(page.request, page.request.get("base"), found["a"] or found["b"]),))

    def searches(self, request: PortalRequest, subjects: list[str]) -> list[PortalRequest]:
        """One search per calendar month, newest first."""
        return [search(request, subjects, first, last) for first, last in months(self.today(), request.since)]


# --- requests ---------------------------------------------------------------------------------


def subject_areas(request: PortalRequest, base: str, tenant: str) -> PortalRequest:
    state = (("base", base), ("tenant", tenant))
    return request.next("subjects", f"{base}/publish/getsubjectareas/{quote(tenant)}", state=state)


def search(request: PortalRequest, subjects: list[str], first: date, last: date) -> PortalRequest:
    body = {"infoTypes": {"document": True, "case": False, "meeting": False}, "subjects": subjects,
            "fromDate": first.isoformat(), "toDate": last.isoformat(), "searchText": ""}
    # The subject ids rotate per session: the answer is remembered by tenant and month, so an unchanged
    # month is recognised as unchanged and its known protocols are not asked about again.
    return request.next("search", _api(request, "search"), json_body=json.dumps(body),
                        state=_with(request, month=f"{first:%Y-%m}"),
                        cache_as=f"lex2 search {request.get('tenant')} {first.isoformat()} {last.isoformat()}")


def identity(request: PortalRequest, document: str) -> str:
    """The stable URL a Lex2 document is known by (its savedoctodisk call, naming the document)."""
    return f"{_api(request, 'savedoctodisk')}?{urlencode({'documentId': document})}"


def _fetch(request: PortalRequest, document: Any, found: FoundProtocol) -> PortalRequest:
    """Step 3 for a protocol: its details.  The id is sent back as the hit gave it (number or text)."""
    state = _with(request, document=json.dumps(document), title=found.title)
    return request.next("document", _api(request, "getdocument"), json_body=_document_body(state),
                        state=state, committee=found.committee, published_on=found.published_on)


def _details(request: PortalRequest, answer: Any) -> Listing:
    if not isinstance(answer, dict | list) or not answer:
        raise ValueError("Lex2 getdocument answered no document details")
    document = str(json.loads(request.get("document")))
    save = request.next("save", identity(request, document), json_body=_document_body(request.state),
                        state=request.state)
    return Listing(follow=(save,))


def _file(request: PortalRequest, answer: Any) -> FoundProtocol:
    name = answer if isinstance(answer, str) else field(answer, "fileName", "filename", "file", "name", "path")
    name = clean(str(name or ""))
    if not name:
        raise ValueError("Lex2 savedoctodisk answered no file name")
    if "." not in name.rsplit("/", 1)[-1]:
        name += ".pdf"
    url = urljoin(f"{request.get('base')}/docs/", quote(name, safe="/:"))
    return FoundProtocol(url, request.get("title"), request.published_on, request.committee)


def _api(request: PortalRequest, call: str) -> str:
    return f"{request.get('base')}/publish/{call}/{quote(request.get('tenant'))}"


def _document_body(state: tuple[tuple[str, str], ...]) -> str:
    return json.dumps({"documentId": json.loads(dict(state)["document"])})


def _with(request: PortalRequest, **values: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted({**dict(request.state), **values}.items()))


# --- answers ----------------------------------------------------------------------------------


def subject_ids(answer: Any) -> list[str]:
    areas = _entries(answer, "subjectAreas", "subjects", "areas", "items", "result")
    ids = (field(area, "id", "subjectId", "subjectAreaId") for area in areas)
    return [str(found) for found in ids if found is not None]


def hits(answer: Any) -> list[dict[str, Any]]:
    return _entries(answer, "hits", "items", "results", "result", "documents", "searchResult")


def found_protocols(request: PortalRequest, entries: list[dict[str, Any]]) -> list[FoundProtocol]:
    """The protocols among a month's hits: documents whose title says protokoll (typos forgiven)."""
    found = (protocol(request, hit) for hit in entries)
    return [p for p in found if p is not None]


def protocol(request: PortalRequest, hit: dict[str, Any]) -> FoundProtocol | None:
    document, title = field(hit, "id", "documentId", "docId"), clean(str(field(hit, "title", "name") or ""))
    if document is None or not title or not is_document(hit) or not looks_like_protocol(title):
        return None
    body, day = owner_parts(str(field(hit, "owner", "ownerName", "meeting") or ""))
    committee = COMMITTEES.get(body.upper(), body)
    named = title if not committee or fold_name(committee) in fold_name(title) else f"{committee}: {title}"
    found = FoundProtocol(identity(request, str(document)), named, day or dated(title), committee)
    return replace(found, fetch=_fetch(request, document, found))


def is_document(hit: dict[str, Any]) -> bool:
    """A document hit (not a case or a meeting); hits that do not say count as documents."""
    kind = field(hit, "infoType", "type", "kind")
    return not isinstance(kind, str) or fold_name(kind) not in _NOT_DOCUMENTS


def looks_like_protocol(title: str) -> bool:
    return is_protocol(_PROTOCOL_TYPO.sub("protokoll", fold_name(title)))


def owner_parts(owner: str) -> tuple[str, date | None]:
    """'KF/2026-06-15' -> ('KF', 2026-06-15); anything else -> ('', None)."""
    found = _OWNER.match(owner)
    if found is None:
        return "", None
    return found["body"], dated(found["day"])


def field(entry: Any, *names: str) -> Any:
    """The first of `names` an object has, in any letter case (None when it has none)."""
    if not isinstance(entry, dict):
        return None
    lowered = {str(key).lower(): value for key, value in entry.items()}
    return next((lowered[n.lower()] for n in names if lowered.get(n.lower()) is not None), None)


def _entries(answer: Any, *names: str) -> list[dict[str, Any]]:
    value = answer if isinstance(answer, list) else field(answer, *names)
    if not isinstance(value, list):
        raise ValueError(f"Lex2 answered neither a list nor an object with {names[0]!r}")
    return [entry for entry in value if isinstance(entry, dict)]


def _json(page: PortalPage) -> Any:
    try:
        return page.json()
    except ValueError as exc:
        raise ValueError(f"Lex2 answered something other than JSON ({clean(page.text)[:80]!r}): {exc}") from None


# --- addresses and months -----------------------------------------------------------------------


def _app_parts(url: str) -> tuple[str, str] | None:
    """(the app's base URL, the path after it) for a Lex2PublishWasm address."""
    found = _APP_PATH.match(urlsplit(url).path)
    if found is None:
        return None
    return origin(url) + found["prefix"], found["rest"] or ""


def tenant_of(url: str) -> str | None:
    """The tenant an app or API address names: `.../publish/<call>/<tenant>`, `/<tenant>`, `?tenant=`."""
    query = {key.lower(): value for key, value in parse_qsl(urlsplit(url).query)}
    parts = _app_parts(url)
    rest = parts[1].strip("/") if parts else ""
    call = _API_CALL.match(rest)
    candidates = [query.get("tenant", ""), call["tenant"] if call else "", rest.split("/", 1)[0]]
    return next((c for c in candidates if _TENANT.match(c) and c.lower() not in _NOT_TENANTS), None)


def months(today: date, since: date | None = None, count: int = MONTHS_BACK) -> list[tuple[date, date]]:
    """(first day, last day) of each month to search, newest first: `count` months, or back to `since`."""
    first = _month_back(today.replace(day=1), count - 1)
    if since is not None:
        first = min(first, since.replace(day=1))
    first = max(first, _month_back(today.replace(day=1), MAX_MONTHS - 1))
    found, month = [], today.replace(day=1)
    while month >= first:
        following = (month + timedelta(days=32)).replace(day=1)
        found.append((month, following - timedelta(days=1)))
        month = _month_back(month, 1)
    return found


def _month_back(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)
