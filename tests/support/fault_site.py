"""A municipality site on the fault server that mixes good documents with every kind of bad one.

Each entry of `mixed_site` names a path, how the server answers it and what the crawl must make of it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

from tests.support.fault_documents import SCANNED_LINES, deep_html, flate_bomb_pdf, scanned_pdf, slow_to_parse_pdf
from tests.support.faultserver import Behaviour, Endless, FaultServer, Redirect, Silent, Slow, Static, Truncated
from tests.support.sites import Protocol, example_body, protocol_pdf

LISTING = "/kommun-och-politik/protokoll"
ERROR_PAGE = b"<!DOCTYPE html><html><head><title>Fel</title></head><body><h1>Ett fel uppstod</h1></body></html>"
# Limits the crawl of the mixed site runs with (small, so every fault is met fast).
CRAWL_LIMITS = {"pdf_timeout_seconds": 3, "pdf_memory_mb": 256, "download_timeout_seconds": 2,
                "max_document_bytes": 2_000_000, "timeout_seconds": 150}


@dataclass(frozen=True)
class Entry:
    path: str
    link_text: str
    behaviour: Behaviour
    expect: str  # "stored" | "unreadable" | "download" (could not be downloaded)
    reason: str = ""  # the words the recorded error must contain


def _protocol(day: date, body_name: str = "Kommunfullmäktige") -> bytes:
    return protocol_pdf(Protocol(f"Protokoll {body_name.lower()} {day}", day, example_body(day), body_name))


def cp1252_protocol_page() -> bytes:
    """A protocol as an HTML page in Windows-1252, with no charset anywhere."""
    paragraphs = "\n".join(
        f"<p>§ {n} Kommunstyrelsen beslutar att återremittera ärendet om äldreomsorgens lokaler och "
        f"förskolans utbyggnad till förvaltningen för ytterligare beredning – med synpunkter på kostnader.</p>"
        for n in range(1, 9))
    page = f"""<!DOCTYPE html><html><head><title>Protokoll kommunstyrelsen 2025-10-21</title></head>
<body><main><h1>Protokoll kommunstyrelsen 2025-10-21</h1>{paragraphs}</main></body></html>"""
    return page.encode("cp1252")


def mixed_site(server: FaultServer) -> list[Entry]:
    files = "/download/18.1/1700000000000"
    entries = [
        Entry(f"{files}/protokoll-kf-2025-09-30.pdf", "Protokoll kommunfullmäktige 2025-09-30",
              Static(_protocol(date(2025, 9, 30)), "application/pdf"), "stored"),
        Entry(f"{files}/protokoll-ks-2025-10-07.pdf", "Protokoll kommunstyrelsen 2025-10-07",
              Slow(_protocol(date(2025, 10, 7), "Kommunstyrelsen"), seconds=1.0), "stored"),
        Entry(f"{files}/protokoll-ks-2025-11-04-skannat.pdf", "Protokoll kommunstyrelsen 2025-11-04 (skannat)",
              Static(scanned_pdf([SCANNED_LINES]), "application/pdf"), "stored"),
        Entry("/protokoll/ks-2025-10-21.html", "Protokoll kommunstyrelsen 21 oktober",
              Static(cp1252_protocol_page(), "text/html"), "stored"),
        Entry(f"{files}/protokoll-kf-2025-06-17.pdf", "Protokoll kommunfullmäktige 2025-06-17",
              Static(ERROR_PAGE, "application/pdf"), "unreadable", "not a PDF (looks like HTML)"),
        Entry(f"{files}/protokoll-kf-2025-05-20.pdf", "Protokoll kommunfullmäktige 2025-05-20",
              Static(flate_bomb_pdf(512), "application/pdf"), "unreadable", "exceeded memory limit"),
        Entry(f"{files}/protokoll-kf-2025-04-22.pdf", "Protokoll kommunfullmäktige 2025-04-22",
              Static(slow_to_parse_pdf(), "application/pdf"), "unreadable", "timed out after 3 s"),
        Entry(f"{files}/protokoll-kf-2025-03-25.pdf", "Protokoll kommunfullmäktige 2025-03-25",
              Static(_protocol(date(2025, 3, 25))[:1500], "application/pdf"), "unreadable", "malformed PDF"),
        Entry(f"{files}/protokoll-kf-2025-02-25.pdf", "Protokoll kommunfullmäktige 2025-02-25",
              Static(ERROR_PAGE, status=500), "download", "returned HTTP 500"),
        Entry(f"{files}/protokoll-kf-2025-01-28.pdf", "Protokoll kommunfullmäktige 2025-01-28",
              Silent(seconds=10), "download", "timed out"),
        Entry(f"{files}/protokoll-ks-2025-01-14.pdf", "Protokoll kommunstyrelsen 2025-01-14",
              Truncated(_protocol(date(2025, 1, 14), "Kommunstyrelsen")), "download", "cut off"),
        Entry(f"{files}/protokoll-ks-2024-12-10.pdf", "Protokoll kommunstyrelsen 2024-12-10",
              Endless(), "download", "max_document_bytes"),
        Entry(f"{files}/protokoll-kf-2024-11-26.pdf", "Protokoll kommunfullmäktige 2024-11-26",
              Redirect(f"{files}/protokoll-kf-2024-11-26.pdf"), "download", "redirect"),
        Entry(f"{files}/protokoll-kf-2024-10-29.pdf", "Protokoll kommunfullmäktige 2024-10-29",
              Redirect("file:///etc/passwd"), "download", "file"),
        Entry(f"{files}/protokoll-ks-2024-10-15.pdf", "Protokoll kommunstyrelsen 2024-10-15",
              Redirect("/r/b.pdf"), "download", "redirect"),
        Entry(f"{files}/protokoll-ks-2024-09-17.pdf", "Protokoll kommunstyrelsen 2024-09-17",
              Redirect("/c/1.pdf"), "download", "redirect"),
        Entry("/protokoll/arkiv", "Protokollarkiv", Static(deep_html()), "page"),
    ]
    server.route("/r/b.pdf", Redirect(f"{files}/protokoll-ks-2024-10-15.pdf"))  # a loop of two
    for step in range(1, 10):  # a chain longer than the redirects followed
        server.route(f"/c/{step}.pdf", Redirect(f"/c/{step + 1}.pdf"))
    for entry in entries:
        server.route(entry.path, entry.behaviour)
    server.route(LISTING, Static(listing(entries)))
    return entries


def listing(entries: list[Entry]) -> bytes:
    links = "\n".join(f'<li><a href="{e.path}">{html.escape(e.link_text)} (pdf, 120 kB)</a></li>' for e in entries)
    hostile = """<li><a href="file:///etc/passwd">Protokoll 2025-12-01.pdf</a></li>
<li><a href="ftp://127.0.0.1/protokoll-2025-12-02.pdf">Protokoll (ftp)</a></li>
<li><a href="javascript:alert('protokoll.pdf')">Protokoll (skript)</a></li>
<li><a href="data:application/pdf;base64,JVBERi0xLjQK">Protokoll (data)</a></li>"""
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Protokoll</title></head>
<body><main><h1>Möten, handlingar och protokoll</h1><ul>{links}
{hostile}</ul></main></body></html>""".encode()
