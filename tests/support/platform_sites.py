"""Municipality sites whose protocols live on the platforms of PLATFORMS.md, and a server for them.

    expected = build_platform_site("meetingplus", root, "Vaggeryd", protocols, pdf=protocol_pdf)
    with PlatformServer(root) as server:
        server.site_url("/")          # http://127.0.0.1:<port>/  -- the municipality's own site
        server.portal_url("/")        # http://localhost:<port>/  -- the portal, another host

The municipality's site (SiteVision-shaped: home -> "Kommun och politik" -> "Möten, handlingar och
protokoll") hands over to a portal shaped like the real one: MeetingPlus committees/meetings/protocol
links, Netpublicator's reader API (found in the page's np-*.js widget script), Ciceron's JSON-RPC search,
Lex2's webbdiarium API (an iframe on an EPiServer-shaped site), OpenGov 360online boards and meetings, or
(on the site itself) a SiteVision file archive or a plain page of PDF links.  Pages carry `{{site}}` and `{{portal}}` placeholders that the server fills in with its
addresses; files whose URL has a query are stored as `<path>@<query>`.  `manifest.json` lists the
protocols a crawl must find, with their dates and committees.

The saved fixtures under tests/fixtures/platforms/<platform>/ were made by this module (without PDFs,
which tests make from the manifest); tests/crawler/test_platforms.py checks they still match.
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import html
import json
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urlsplit

from monitor.municipalities import fold_name
from tests.support.loopback import LoopbackServer
from tests.support.seeds import FIXTURES as ALL_FIXTURES
from tests.support.sites import Protocol, page_path

FIXTURES = ALL_FIXTURES / "platforms"  # saved answers of the real platforms' shapes

SITE, PORTAL = "{{site}}", "{{portal}}"
PLATFORM_NAMES = ("meetingplus", "netpublicator", "ciceron", "opengov", "sitevision", "pdflist", "lex2")
COMMITTEE_SLUGS = {"Kommunfullmäktige": ("kommunfullmaktige", "kf"), "Kommunstyrelsen": ("kommunstyrelsen", "ks")}
READER, ROOT_HASH = "r20758068", "0a3a8d2ed2f9258"
LEX2 = "/Lex2PublishWasm"
LEX2_SUBJECTS = ("Kommunfullmäktige", "Kommunstyrelsen", "Samhällsbyggnad", "Övrigt")
SESSION = "5d1c0ffee"
PdfMaker = Callable[[Protocol, str], bytes]


@dataclass(frozen=True)
class ExpectedProtocol:
    url: str  # with the {{site}} / {{portal}} placeholder
    file: str  # where its bytes live, relative to the root ("portal/..." or "site/...")
    title: str
    published_on: str  # ISO date
    committee: str
    protocol_title: str  # the Protocol's own title, to make its PDF again
    listed_on: str  # the page or API answer that links it, relative to the root


def _hex(text: str, length: int = 24) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def _id(text: str, digits: int = 4) -> str:
    return str(int(_hex(text, 8), 16) % 10 ** digits).zfill(digits)


class _Builder:
    def __init__(self, root: Path, municipality: str, protocols: list[Protocol], pdf: PdfMaker | None):
        self.root, self.municipality, self.protocols, self.pdf = root, municipality, protocols, pdf
        self.expected: list[ExpectedProtocol] = []

    def write(self, where: str, path: str, data: str | bytes) -> None:
        target = self.root / where / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    def protocol_file(self, protocol: Protocol, url: str, file: str, title: str, listed_on: str) -> None:
        self.expected.append(ExpectedProtocol(url, file, title, protocol.meeting_date.isoformat(),
                                              protocol.body_name, protocol.title, listed_on))
        if self.pdf is not None:
            where, path = file.split("/", 1)
            self.write(where, path, self.pdf(protocol, self.municipality))

    def committees(self) -> dict[str, list[Protocol]]:
        grouped: dict[str, list[Protocol]] = {}
        for protocol in sorted(self.protocols, key=lambda p: p.meeting_date, reverse=True):
            grouped.setdefault(protocol.body_name, []).append(protocol)
        return grouped

    # --- the municipality's own site ---

    def page(self, title: str, body: str, head: str = "") -> str:
        return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><meta name="generator" content="Sitevision">
<title>{html.escape(title)} - {self.municipality}s kommun</title>{head}
<link rel="stylesheet" href="/sitevision/system-resource/style.css"></head>
<body><header class="sv-image-portlet"><a href="/">{self.municipality}s kommun</a></header>
<main class="sv-text-portlet"><h1>{html.escape(title)}</h1>
{body}
</main></body></html>
"""

    def site(self, listing_body: str, head: str = "", listing_title: str = "Möten, handlingar och protokoll") -> str:
        politics = page_path("/kommun-och-politik")
        listing = page_path("/kommun-och-politik/moten-handlingar-och-protokoll")
        self.write("site", "/robots.txt", "User-agent: *\nDisallow: /sok/\n")
        self.write("site", "/index.html", self.page(f"Välkommen till {self.municipality}s kommun", f"""
<ul><li><a href="{page_path('/forskola-och-skola')}">Förskola och skola</a></li>
<li><a href="{politics}">Kommun och politik</a></li></ul>"""))
        self.write("site", page_path("/forskola-och-skola"), self.page("Förskola och skola", "<p>Skolval.</p>"))
        self.write("site", politics, self.page("Kommun och politik", f"""
<p>Kommunfullmäktige är kommunens högsta beslutande organ.</p>
<ul><li><a href="{listing}">{html.escape(listing_title)}</a></li></ul>"""))
        self.write("site", listing, self.page(listing_title, listing_body, head))
        return listing


# --- MeetingPlus ------------------------------------------------------------------------------


def _meetingplus(b: _Builder) -> None:
    b.site(f"""<p>Kallelser, handlingar och protokoll finns i vår sammanträdesportal.</p>
<p><a href="{PORTAL}/committees">Till sammanträdesportalen (Meetings Plus)</a></p>""")
    b.write("portal", "/robots.txt", "User-agent: *\nAllow: /\n")
    items = "".join(f'<li><a href="/committees/{COMMITTEE_SLUGS[name][0]}">{name}</a></li>' for name in b.committees())
    b.write("portal", "/index.html", _mp_page("Start", '<p><a href="/committees">Nämnder och styrelser</a></p>'))
    b.write("portal", "/committees/index.html", _mp_page("Nämnder och styrelser", f"<ul>{items}</ul>"))
    for name, protocols in b.committees().items():
        slug, short = COMMITTEE_SLUGS[name]
        rows = [f'<div role="row"><a href="/committees/{slug}/mote-{p.meeting_date}">{name} '
                f'{p.meeting_date}</a></div>' for p in protocols]
        rows.append(f'<div role="row"><a href="/committees/{slug}/mote-2025-12-16-installt">{name} 2025-12-16 '
                    f'(inställt)</a></div>')
        b.write("portal", f"/committees/{slug}/index.html", _mp_page(name, f"""
<ul class="nav-tabs"><li>Kommande</li><li class="active">Tidigare</li></ul>
<div id="committeesRecentContent">{''.join(rows)}</div>"""))
        for p in protocols:
            meeting = f"/committees/{slug}/mote-{p.meeting_date}"
            filename = f"protokoll-{short}-{p.meeting_date}pdf"
            url = f"{PORTAL}{meeting}/protocol/{filename}?downloadMode=open"
            b.write("portal", f"{meeting}/index.html", _mp_page(f"{name} {p.meeting_date}", f"""
<p>Sammanträde {p.meeting_date} kl. 18:30, Kommunhuset</p>
<a class="btn" href="{meeting}/agenda/kallelse-{short}-{p.meeting_date}pdf?downloadMode=open">Öppna kallelse</a>
<a class="btn" href="{meeting}/protocol/{filename}?downloadMode=open">Öppna protokoll</a>"""))
            b.protocol_file(p, url, f"portal{meeting}/protocol/{filename}@downloadMode=open",
                            f"Protokoll {name} {p.meeting_date}", f"portal{meeting}/index.html")


def _mp_page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{html.escape(title)} - Meetings Plus</title>
<link rel="stylesheet" href="/Content/meetingsplus.css"></head>
<body class="meetingsplus"><nav><a href="/committees">Nämnder</a> <a href="/digital-bulletin-board">Anslagstavla</a></nav>
<main><h1>{html.escape(title)}</h1>{body}</main></body></html>
"""


# --- Netpublicator ----------------------------------------------------------------------------


def _netpublicator(b: _Builder) -> None:
    script = "/sitevision/np-kommunfullmaktige.js"
    b.site("""<p>Här hittar du kallelser och protokoll från kommunfullmäktiges sammanträden.</p>
<div id="np-publicreader" class="np-kommunfullmaktige"></div>""", head=f'\n<script src="{script}"></script>')
    b.write("site", script, f"""/* Netpublicator public reader */
var masterMD = {{readerName: "{READER}", rootID: "{ROOT_HASH}"}};
var npApi = "{PORTAL}/api/public/{READER}/read?hash={ROOT_HASH}&isr=true";
""")
    b.write("portal", "/robots.txt", "User-agent: *\nAllow: /\n")
    b.write("portal", f"/reader/{READER}", f"""<!DOCTYPE html><html><head><title>Netpublicator</title>
<script>var masterMD = {{readerName: '{READER}', rootID: '{ROOT_HASH}'}};</script></head>
<body><div id="np-publicreader"></div></body></html>""")
    channels = [{"id": _hex(name, 19), "text": name, "type": "channel"} for name in b.committees()]
    _np_read(b, ROOT_HASH, channels, root=True)
    for name, protocols in b.committees().items():
        channel = f"{ROOT_HASH}-{_hex(name, 19)}"
        current, older = protocols[:-1] or protocols, protocols[-1:] if len(protocols) > 1 else []
        year = f"{channel}-{_hex(name + 'older', 19)}"
        entries = [_np_meeting(b, channel, p, name) for p in current]
        if older:
            entries.append({"id": _hex(name + "older", 19), "text": f"{older[0].meeting_date.year} och tidigare",
                            "type": "channel"})
            _np_read(b, year, [_np_meeting(b, year, p, name) for p in older])
        _np_read(b, channel, entries)


def _np_meeting(b: _Builder, parent: str, p: Protocol, committee: str) -> dict:
    meeting_id = _hex(f"{committee}{p.meeting_date}", 19)
    path = f"{parent}-{meeting_id}"
    short = COMMITTEE_SLUGS[committee][1].upper()
    document = _hex(f"doc{committee}{p.meeting_date}", 32)
    items = [{"id": _hex(f"kallelse{path}", 32), "text": "Kallelse förstasida", "type": "document"},
             {"id": document, "text": f"{short} {p.meeting_date} - Protokoll", "type": "document"},
             {"id": _hex(f"item{path}", 19), "text": "1. Val av justerare", "type": "channel"}]
    _np_read(b, path, items, key="documents")
    query = urlencode({"hash": path, "cache": "0"})
    listed_on = f"portal/api/public/{READER}/read@{urlencode({'hash': path, 'isr': 'false'})}"
    b.protocol_file(p, f"{PORTAL}/api/public/{READER}/document/{document}?{query}",
                    f"portal/api/public/{READER}/document/{document}@{query}", f"{short} {p.meeting_date} - Protokoll",
                    listed_on)
    return {"id": meeting_id, "text": p.meeting_date.isoformat(), "type": "meeting"}


def _np_read(b: _Builder, path: str, entries: list[dict], root: bool = False, key: str = "items") -> None:
    query = urlencode({"hash": path, "isr": "true" if root else "false"})
    history = path.split("-")
    b.write("portal", f"/api/public/{READER}/read@{query}", json.dumps({"history": history, key: entries},
                                                                      ensure_ascii=False, indent=1))


# --- Ciceron ----------------------------------------------------------------------------------


def _ciceron(b: _Builder) -> None:
    b.site(f"""<p>Protokoll från nämnder och styrelser söker du i vårt diarium.</p>
<p><a href="{PORTAL}/#!/search/?t=1&amp;i=Kommunfullm%C3%A4ktige&amp;n=KS">Sök i diariet (Ciceron)</a></p>""")
    b.write("portal", "/robots.txt", "User-agent: *\nAllow: /\n")
    b.write("portal", "/index.html", """<!DOCTYPE html><html ng-app="ciceronsok"><head><title>Ciceron Sökning</title>
<script src="/iciceronsok.js"></script></head><body><div ng-view></div></body></html>""")
    _rpc(b, "ReadHotspots", None, {"session_id": SESSION, "value": [{"t": "1", "i": "Kommunfullmäktige"}]})
    _rpc(b, "Search", None, {"session_id": SESSION, "value": {"count": len(b.protocols)}})
    meetings = sorted(b.protocols, key=lambda p: p.meeting_date, reverse=True)
    items = [{"id": str(n), "title": f"{p.body_name} {p.meeting_date}", "doctype": 64} for n, p in enumerate(meetings)]
    _rpc(b, "ReadItems", "0", {"session_id": SESSION, "value": json.dumps({"items": items}, ensure_ascii=False)})
    for n, p in enumerate(meetings):
        short = COMMITTEE_SLUGS[p.body_name][1].upper()
        name = f"Protokoll {short} {p.meeting_date:%y%m%d}"
        filename = base64.urlsafe_b64encode(f"{name}.pdf".encode()).decode()
        doc_id = _id(f"{p.body_name}{p.meeting_date}", 6)
        documents = [{"name": name, "id": doc_id, "filename_b64": filename},
                     {"name": "Protokollsbilaga", "id": _id(name + "bilaga", 6),
                      "filename_b64": base64.urlsafe_b64encode(b"bilaga.pdf").decode()}]
        _rpc(b, "ReadObjectDetails", str(n), {"session_id": SESSION, "value": {"title": items[n]["title"],
                                                                               "documents": documents}})
        query = urlencode({"filename": filename, "id": doc_id})
        b.protocol_file(p, f"{PORTAL}/download/document?{query}", f"portal/download/document@{query}", name,
                        f"portal/json-rpc/ReadObjectDetails@{n}.json")


def _rpc(b: _Builder, method: str, key: str | None, result: dict) -> None:
    name = method + (f"@{key}" if key is not None else "")
    b.write("portal", f"/json-rpc/{name}.json", json.dumps({"jsonrpc": "2.0", "id": 1, "result": result},
                                                           ensure_ascii=False, indent=1))


# --- OpenGov 360online --------------------------------------------------------------------------


def _opengov(b: _Builder) -> None:
    organisation = f"{b.municipality.upper()}kommun"
    b.site(f"""<p>Protokoll och handlingar publiceras i Insyn i politiken.</p>
<p><a href="{PORTAL}/Meetings/{organisation}">Insyn i politiken – möten och protokoll</a></p>""")
    b.write("portal", "/robots.txt", "User-agent: *\nAllow: /\n")
    boards, rows = [], []
    for name, protocols in b.committees().items():
        board = _id(name, 3)
        boards.append(f'<li><a href="/Boards/Details/{board}">{name} {protocols[0].meeting_date.year}</a></li>')
        meetings = []
        for p in protocols:
            meeting = _id(f"{name}{p.meeting_date}", 5)
            meetings.append(f'<tr><td><a href="/Meetings/Details/{meeting}">{name} {p.meeting_date}</a></td></tr>')
            _og_meeting(b, meeting, name, p)
        meetings.append(f"<tr><td>{name} 2025-12-16 Inställt</td></tr>")
        b.write("portal", f"/Boards/Details/{board}", _og_page(f"{name} {protocols[0].meeting_date.year}",
                                                               f"<table>{''.join(meetings)}</table>"))
        rows += meetings
    b.write("portal", f"/Meetings/{organisation}", _og_page("Möten", f"""<h2>Nämnder</h2><ul>{''.join(boards)}</ul>
<p>{len(b.protocols)} möten hittades</p><table>{''.join(rows)}</table>"""))


def _og_meeting(b: _Builder, meeting: str, committee: str, p: Protocol) -> None:
    short = COMMITTEE_SLUGS[committee][1].upper()
    name = f"Protokoll {short} {p.meeting_date}.pdf"
    file_id = _id(name, 6)
    query = urlencode({"fileName": name, "fileSize": 123456}, quote_via=quote)
    kallelse = urlencode({"fileName": f"Kallelse {short}.pdf", "fileSize": 2345}, quote_via=quote)
    b.write("portal", f"/Meetings/Details/{meeting}", _og_page(f"{committee} {p.meeting_date}", f"""
<div class="panel"><div class="panel-heading">Dokument</div><ul>
<li><a href="/File/Details/{_id(name + 'k', 6)}.PDF?{html.escape(kallelse)}">Kallelse {short}</a></li>
<li><a href="/File/Details/{file_id}.PDF?{html.escape(query)}">Protokoll {short} {p.meeting_date}</a></li>
</ul></div>"""))
    b.protocol_file(p, f"{PORTAL}/File/Details/{file_id}.PDF?{query}", f"portal/File/Details/{file_id}.PDF@{query}",
                    f"Protokoll {short} {p.meeting_date}", f"portal/Meetings/Details/{meeting}")


def _og_page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{html.escape(title)} - Insyn i politiken</title></head>
<body><div class="container"><h1>{html.escape(title)}</h1>{body}</div></body></html>
"""


# --- SiteVision file archive (on the site) ------------------------------------------------------


def _sitevision(b: _Builder) -> None:
    listing = page_path("/kommun-och-politik/moten-handlingar-och-protokoll")
    folders = []
    for name, protocols in b.committees().items():
        folder = f"?folder=19.{_hex(name, 20)}&sv.url=12.{_hex(listing, 20)}"
        folders.append(f'<li><a href="{html.escape(folder)}">{name}</a></li>')
        years: dict[int, list[Protocol]] = {}
        for p in protocols:
            years.setdefault(p.meeting_date.year, []).append(p)
        year_links = []
        for year, dated in years.items():
            year_folder = f"?folder=19.{_hex(name + str(year), 20)}&sv.url=12.{_hex(listing, 20)}"
            year_links.append(f'<li><a href="{html.escape(year_folder)}">{year}</a></li>')
            files = []
            for p in dated:
                short = COMMITTEE_SLUGS[name][1].upper()
                path = f"/download/18.{_hex(p.title, 20)}/1761{_id(p.title, 9)}/Protokoll {short} {p.meeting_date}.pdf"
                files.append(f'<li><a href="{quote(path)}">Protokoll {short} {p.meeting_date} (pdf, 312 kB)</a></li>')
                b.protocol_file(p, f"{SITE}{quote(path)}", f"site{path}", f"Protokoll {short} {p.meeting_date}",
                                f"site{listing}@{year_folder[1:]}")
            b.write("site", f"{listing}@{year_folder[1:]}", b.page(f"{name} {year}",
                    f'<ul class="sv-file-portlet sv-archive-portlet">{"".join(files)}</ul>'))
        b.write("site", f"{listing}@{folder[1:]}", b.page(name, f'<ul class="sv-archive-portlet">{"".join(year_links)}</ul>'))
    b.site(f"""<p>Protokoll, kallelser och handlingar, ordnade per organ och år.</p>
<div class="sv-archive-portlet"><ul>{''.join(folders)}</ul></div>""")


# --- a plain page of PDF links (Umbraco style, on the site) ---------------------------------------


def _pdflist(b: _Builder) -> None:
    listing = b.site("""<p>Protokoll publiceras på anslagstavlan.</p>
<p><a href="/kommun-politik-och-service/anslagstavla/protokoll/">Protokoll</a></p>""",
                     listing_title="Anslagstavla")
    sections = []
    for name, protocols in b.committees().items():
        years: dict[int, list[str]] = {}
        for p in protocols:
            path = f"/media/{_hex(p.title, 8)}/protokoll-{p.meeting_date}.pdf"
            years.setdefault(p.meeting_date.year, []).append(
                f'<li><a href="{path}">Protokoll {p.meeting_date}</a></li>')
            b.protocol_file(p, f"{SITE}{path}", f"site{path}", f"Protokoll {p.meeting_date}",
                            "site/kommun-politik-och-service/anslagstavla/protokoll/index.html")
        blocks = "".join(f"<h3>{year}</h3><ul>{''.join(items)}</ul>" for year, items in years.items())
        sections.append(f"<h2>{name}</h2>{blocks}")
    b.write("site", "/kommun-politik-och-service/anslagstavla/protokoll/index.html",
            b.page("Protokoll", "".join(sections)))
    assert listing


# --- Lex2 webbdiarium (an iframe on an EPiServer site) ----------------------------------------------


def lex2_tenant(municipality: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold_name(municipality))


def _lex2(b: _Builder) -> None:
    tenant = lex2_tenant(b.municipality)
    _episerver_site(b, f"""<p>Kallelser, protokoll och handlingar söker du i vårt webbdiarium.</p>
<iframe title="Webbdiarium" src="{PORTAL}{LEX2}/{tenant}" width="100%" height="900"></iframe>
<p>Anslagstavlan: <a href="{PORTAL}/Lex2PinBoardWeb">digital anslagstavla</a></p>""")
    b.write("portal", "/robots.txt", "User-agent: *\nAllow: /\n")
    b.write("portal", f"{LEX2}/index.html", f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>Lex2 Publicering</title><base href="{LEX2}/" /><link href="css/app.css" rel="stylesheet" /></head>
<body><div id="app">Laddar...</div><script src="_framework/blazor.webassembly.js"></script></body></html>""")
    b.write("portal", f"/lex2/{tenant}/subjectareas.json", json.dumps(list(LEX2_SUBJECTS), ensure_ascii=False))
    for n, p in enumerate(sorted(b.protocols, key=lambda p: p.meeting_date, reverse=True)):
        _lex2_meeting(b, tenant, n, p)


def _lex2_meeting(b: _Builder, tenant: str, n: int, p: Protocol) -> None:
    short = COMMITTEE_SLUGS[p.body_name][1].upper()
    genitive = p.body_name + ("" if p.body_name.endswith("s") else "s")
    title = (f"{genitive} protokoll {p.meeting_date}", f"{genitive} protokoll", f"{genitive} protokol {p.meeting_date}")[n % 3]
    owner, day = f"{short}/{p.meeting_date}", f"{p.meeting_date}T00:00:00"
    key = f"{p.body_name}{p.meeting_date}"
    hits = [("document", "p", title), ("document", "k", f"Kallelse {p.body_name.lower()} {p.meeting_date}"),
            ("document", "b", "Protokollsbilaga § 4"), ("meeting", "m", f"{p.body_name} {p.meeting_date}, protokoll")]
    for info_type, tag, name in hits:
        hit = {"id": _lex2_id(tag + key), "infoType": info_type, "title": name, "owner": owner, "date": day}
        b.write("portal", f"/lex2/{tenant}/documents/{hit['id']}.json", json.dumps(hit, ensure_ascii=False, indent=1))
    protocol = _lex2_id("p" + key)
    b.protocol_file(p, f"{PORTAL}{LEX2}/publish/savedoctodisk/{tenant}?documentId={protocol}",
                    f"portal/lex2/{tenant}/files/{protocol}.pdf", title, f"portal/lex2/{tenant}/documents/{protocol}.json")


def _lex2_id(text: str) -> int:
    return 1_000_000 + int(_id("lex2" + text, 6))


def _episerver_site(b: _Builder, listing_body: str) -> None:
    politics, listing = "/kommun-och-politik/", "/kommun-och-politik/politik-och-demokrati/kallelser-och-protokoll/"
    b.write("site", "/robots.txt", "User-agent: *\nDisallow: /find/\n")
    b.write("site", "/index.html", _epi_page(b, f"Välkommen till {b.municipality}s kommun", f"""
<ul><li><a href="/forskola-och-skola/">Förskola och skola</a></li><li><a href="{politics}">Kommun och politik</a></li></ul>"""))
    b.write("site", "/forskola-och-skola/index.html", _epi_page(b, "Förskola och skola", "<p>Skolval.</p>"))
    b.write("site", f"{politics}index.html", _epi_page(b, "Kommun och politik", f"""
<p>Kommunfullmäktige är kommunens högsta beslutande organ.</p>
<ul><li><a href="{listing}">Kallelser och protokoll</a></li></ul>"""))
    b.write("site", f"{listing}index.html", _epi_page(b, "Kallelser och protokoll", listing_body))


def _epi_page(b: _Builder, title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{html.escape(title)} - {b.municipality}s kommun</title>
<link rel="stylesheet" href="/globalassets/styles/main.css"></head>
<body><header><a href="/">{b.municipality}s kommun</a></header>
<main id="main-content" data-epi-type="content"><h1>{html.escape(title)}</h1>
{body}
</main></body></html>
"""


_SHAPES: dict[str, Callable[[_Builder], None]] = {
    "meetingplus": _meetingplus, "netpublicator": _netpublicator, "ciceron": _ciceron, "opengov": _opengov,
    "sitevision": _sitevision, "pdflist": _pdflist, "lex2": _lex2,
}


def build_platform_site(platform: str, root: Path, municipality: str, protocols: list[Protocol],
                        pdf: PdfMaker | None = None) -> list[ExpectedProtocol]:
    """Write the site and portal under `root`; PDFs too when `pdf` is given.  Returns the manifest."""
    builder = _Builder(Path(root), municipality, protocols, pdf)
    _SHAPES[platform](builder)
    manifest = [asdict(e) for e in builder.expected]
    builder.write("", "manifest.json", json.dumps({"municipality": municipality, "platform": platform,
                                                    "protocols": manifest}, ensure_ascii=False, indent=1))
    return builder.expected


def read_manifest(root: Path) -> tuple[str, list[ExpectedProtocol]]:
    data = json.loads((Path(root) / "manifest.json").read_text(encoding="utf-8"))
    return data["municipality"], [ExpectedProtocol(**entry) for entry in data["protocols"]]


def write_pdfs(root: Path, pdf: PdfMaker, bodies: dict[str, Protocol]) -> None:
    """Make the PDFs a saved fixture's manifest names (keyed by the protocol's title)."""
    municipality, expected = read_manifest(root)
    for entry in expected:
        target = Path(root) / entry.file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pdf(bodies[entry.protocol_title], municipality))


# --- the server -------------------------------------------------------------------------------


class PlatformServer(LoopbackServer):
    """One loopback port, two hosts: 127.0.0.1 serves root/site, localhost serves root/portal.

    GET files by path (or `<path>@<query>`), with ETag / Last-Modified and 304s; POST /json answers
    Ciceron's JSON-RPC from root/portal/json-rpc/<method>[@<offset or id>].json and wants the session id
    from ReadHotspots on every later call.  Lex2's API under /Lex2PublishWasm/ is answered by `Lex2Api`.
    """

    thread_name = "platform-http"

    def __init__(self, root: Path, answer_after_s: float = 0.0):
        super().__init__()
        self.root = Path(root)
        self.answer_after_s = answer_after_s  # a slow server, to see how many requests overlap
        self._lock = threading.Lock()
        self._log: list[tuple[str, str, int]] = []
        self._in_flight: Counter[str] = Counter()
        self.most_in_flight: Counter[str] = Counter()  # per host side: the most requests at once
        self.arrivals: dict[str, list[float]] = {}  # per host side: when each request arrived
        self.lex2 = Lex2Api(self.root / "portal" / "lex2")

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        return _handler_for(self)

    def site_url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def portal_url(self, path: str = "/") -> str:
        return f"http://localhost:{self.port}{path}"

    def resolve(self, url: str) -> str:
        return url.replace(SITE, self.site_url("")).replace(PORTAL, self.portal_url(""))

    def fill(self, body: bytes) -> bytes:
        return body.replace(SITE.encode(), self.site_url("").encode()).replace(
            PORTAL.encode(), self.portal_url("").encode())

    # --- what happened ---

    @property
    def log(self) -> list[tuple[str, str, int]]:
        """(host, path?query, status) of every answer."""
        with self._lock:
            return list(self._log)

    def reset(self) -> None:
        with self._lock:
            self._log.clear()

    def record(self, host: str, target: str, status: int) -> None:
        with self._lock:
            self._log.append((host, target, status))

    def arrived(self, host: str) -> None:
        with self._lock:
            self._in_flight[host] += 1
            self.most_in_flight[host] = max(self.most_in_flight[host], self._in_flight[host])
            self.arrivals.setdefault(host, []).append(time.monotonic())

    def left(self, host: str) -> None:
        with self._lock:
            self._in_flight[host] -= 1


def _handler_for(server: PlatformServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_PlatformHandler):
        farm = server

    return Handler


class _PlatformHandler(BaseHTTPRequestHandler):
    farm: PlatformServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.farm.arrived(self._side())
        try:
            time.sleep(self.farm.answer_after_s)
            self._get()
        finally:
            self.farm.left(self._side())

    def _get(self) -> None:
        file = self._file() if not self._is_lex2() else self.farm.lex2.get(urlsplit(self.path).path)
        if isinstance(file, tuple):
            return self._answer(*file)
        if file is None:
            return self._answer(404, b"<html><body><h1>Not Found</h1></body></html>", {})
        body = file.read_bytes()
        body = self.farm.fill(body) if not body.startswith(b"%PDF") else body
        validators = {"ETag": '"' + hashlib.sha256(body).hexdigest()[:20] + '"',
                      "Last-Modified": email.utils.formatdate(int(file.stat().st_mtime), usegmt=True)}
        if self.headers.get("If-None-Match") == validators["ETag"] or (
                self.headers.get("If-None-Match") is None
                and self.headers.get("If-Modified-Since") == validators["Last-Modified"]):
            return self._answer(304, b"", validators)
        self._answer(200, body, {"Content-Type": _content_type(body), **validators})

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        if self._is_lex2():
            return self._answer(*self.farm.lex2.post(urlsplit(self.path).path, self.rfile.read(length)))
        call = json.loads(self.rfile.read(length) or b"{}")
        method = str(call.get("method", "")).removeprefix("CiceronsokServer:")
        params = call.get("params") or {}
        if self._side() != "portal" or urlsplit(self.path).path != "/json":
            return self._answer(404, b"", {})
        if method != "ReadHotspots" and params.get("session_id") != SESSION:
            return self._json({"jsonrpc": "2.0", "id": call.get("id"), "error": {"code": -32000,
                                                                              "message": "no session"}})
        key = params.get("offset", params.get("id"))
        base = self.farm.root / "portal" / "json-rpc"
        file = base / (f"{method}@{key}.json" if key is not None else f"{method}.json")
        if not file.is_file():
            return self._json({"jsonrpc": "2.0", "id": call.get("id"), "result": {"value": {"items": []}}})
        self._answer(200, file.read_bytes(), {"Content-Type": "application/json"})

    def _json(self, data: dict) -> None:
        self._answer(200, json.dumps(data).encode(), {"Content-Type": "application/json"})

    def _is_lex2(self) -> bool:
        return self._side() == "portal" and urlsplit(self.path).path.startswith((f"{LEX2}/publish/", f"{LEX2}/docs/"))

    def _side(self) -> str:
        host = (self.headers.get("Host") or "").split(":")[0]
        return "portal" if host == "localhost" else "site"

    def _file(self) -> Path | None:
        parts = urlsplit(self.path)
        base = (self.farm.root / self._side()).resolve()
        relative = unquote(parts.path).lstrip("/")
        candidates = [f"{relative}@{parts.query}"] if parts.query else []
        candidates += [relative, f"{relative.rstrip('/')}/index.html".lstrip("/")]
        for candidate in candidates:
            path = (base / candidate).resolve()
            if path.is_relative_to(base) and path.is_file():
                return path
        return None

    def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.farm.record(self._side(), self.path, status)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304 and self.command != "HEAD":
            self.wfile.write(body)


Answer = tuple[int, bytes, dict[str, str]]
LEX2_WIDEST_SEARCH_DAYS = 31  # wider searches "time out", as the real one does


class Lex2Api:
    """Lex2's publish API over root/portal/lex2/<tenant>/: subject areas with ids new on every call,
    month-sized searches, document details, and a fresh file name for every savedoctodisk."""

    def __init__(self, root: Path):
        self.root = root
        self._lock = threading.Lock()
        self._subjects: set[str] = set()
        self._saved: dict[str, Path] = {}  # file name -> the document's file

    def get(self, path: str) -> Answer | Path | None:
        if path.startswith(f"{LEX2}/docs/"):
            with self._lock:
                return self._saved.get(path.removeprefix(f"{LEX2}/docs/").removesuffix(".pdf"))
        call, tenant = self._call(path)
        if call != "getsubjectareas" or not (self.root / tenant).is_dir():
            return _not_found()
        names = json.loads((self.root / tenant / "subjectareas.json").read_text(encoding="utf-8"))
        areas = [{"id": str(uuid.uuid4()), "name": name} for name in names]
        with self._lock:
            self._subjects.update(area["id"] for area in areas)
        return _json_answer(areas)

    def post(self, path: str, raw: bytes) -> Answer:
        call, tenant = self._call(path)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return _json_answer({"error": "not JSON"}, 400)
        if not (self.root / tenant).is_dir() or not isinstance(body, dict):
            return _not_found()
        if call == "search":
            return self._search(tenant, body)
        document = self._documents(tenant).get(str(body.get("documentId")))
        if document is None:
            return _not_found()
        if call == "getdocument":
            return _json_answer({**document, "files": self._files(tenant, document)})
        if call == "savedoctodisk":
            return self._save(tenant, document)
        return _not_found()

    def _search(self, tenant: str, body: dict) -> Answer:
        subjects = body.get("subjects")
        with self._lock:
            known = isinstance(subjects, list) and subjects and set(subjects) <= self._subjects
        if not known:
            return _json_answer({"error": "unknown subject areas (their ids change per session)"}, 400)
        try:
            first, last = date.fromisoformat(body["fromDate"][:10]), date.fromisoformat(body["toDate"][:10])
        except (KeyError, TypeError, ValueError):
            return _json_answer({"error": "fromDate and toDate are needed"}, 400)
        if (last - first).days > LEX2_WIDEST_SEARCH_DAYS:
            return 504, b"<html><body><h1>504 Gateway Time-out</h1></body></html>", {"Content-Type": "text/html"}
        wanted = {kind for kind, on in (body.get("infoTypes") or {}).items() if on}
        hits = [d for d in self._documents(tenant).values()
                if d.get("infoType") in wanted and first <= date.fromisoformat(d["date"][:10]) <= last]
        hits.sort(key=lambda d: (d["date"], d["id"]), reverse=True)
        return _json_answer({"totalCount": len(hits), "hits": hits})

    def _save(self, tenant: str, document: dict) -> Answer:
        file = self.root / tenant / "files" / f"{document['id']}.pdf"
        if not file.is_file():
            return _json_answer({"error": "the document has no file"}, 404)
        name = f"Lex2_{uuid.uuid4().hex}"
        with self._lock:
            self._saved[name] = file
        return _json_answer({"fileName": name})

    def _files(self, tenant: str, document: dict) -> list[dict]:
        file = self.root / tenant / "files" / f"{document['id']}.pdf"
        if not file.is_file():
            return []
        stat = file.stat()
        return [{"name": f"{document['title']}.pdf", "size": stat.st_size, "modified": stat.st_mtime_ns}]

    def _documents(self, tenant: str) -> dict[str, dict]:
        found = (json.loads(p.read_text(encoding="utf-8")) for p in (self.root / tenant / "documents").glob("*.json"))
        return {str(d["id"]): d for d in found}

    @staticmethod
    def _call(path: str) -> tuple[str, str]:
        parts = path.removeprefix(f"{LEX2}/publish/").split("/")
        return (parts[0].lower(), unquote(parts[1])) if len(parts) == 2 and parts[1] else ("", "")


def _json_answer(data: object, status: int = 200) -> Answer:
    return status, json.dumps(data, ensure_ascii=False).encode("utf-8"), {"Content-Type": "application/json"}


def _not_found() -> Answer:
    return 404, b"<html><body><h1>Not Found</h1></body></html>", {"Content-Type": "text/html"}


def _content_type(body: bytes) -> str:
    if body.startswith(b"%PDF"):
        return "application/pdf"
    if body.lstrip()[:1] in (b"{", b"["):
        return "application/json"
    if body.lstrip()[:2] == b"/*" or body.startswith(b"var "):
        return "application/javascript"
    if body.startswith(b"User-agent"):
        return "text/plain"
    return "text/html; charset=utf-8"


def sample_protocols() -> list[Protocol]:
    """Three meetings of two bodies across a year boundary, ordinary business."""
    from tests.support.sites import example_body

    meetings = [("Kommunfullmäktige", date(2025, 10, 28)), ("Kommunfullmäktige", date(2024, 12, 17)),
                ("Kommunstyrelsen", date(2025, 11, 4))]
    return [Protocol(f"Protokoll {name.lower()} {day}", day, example_body(day, 1 + 10 * n), name)
            for n, (name, day) in enumerate(meetings)]


def touch_listing(root: Path, entry: ExpectedProtocol, note: str) -> None:
    """Change the page or API answer that lists `entry` (as a portal does when a file is replaced)."""
    path = Path(root) / entry.listed_on
    if path.read_bytes().lstrip()[:1] == b"{":
        data = json.loads(path.read_text(encoding="utf-8"))
        data["modified"] = note
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        path.write_text(path.read_text(encoding="utf-8") + f"<!-- {note} -->\n", encoding="utf-8")
