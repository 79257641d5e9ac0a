"""A fixture municipality website shaped like SiteVision (see PLATFORMS.md section 1).

    site = SiteVisionSite(tmp_path / "site").build()          # home -> politics -> listing -> meetings -> PDFs
    server = FixtureServer(site.root).start()
    site.publish_protocol("Protokoll kommunfullmäktige 2025-11-25", date(2025, 11, 25), body_text)

Pages end in `.4.<hex>.html`, downloads live at `/download/18.<id>/<timestamp>/<name>.pdf`, and the PDFs
are made with reportlab from real-looking Swedish protocol text.  Everything is deterministic: the same
calls give the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
             "oktober", "november", "december")
BODY_ABBREVIATIONS = {"Kommunfullmäktige": "kf", "Kommunstyrelsen": "ks"}
_MARGIN, _LINE, _WIDTH = 60, 15, A4[0] - 120
_PLAIN_PAGES = {"/forskola-och-skola": "Förskola och skola", "/bygga-bo-och-miljo": "Bygga, bo och miljö",
                "/kommun-och-politik/budget-och-ekonomi": "Budget och ekonomi"}
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_LIST_ITEM = re.compile(r"^\s*(?:[•\-–]|\d+\.)\s*\S")
_LOREM = "<p>Kommunens budget för nästa år beslutas av kommunfullmäktige i november.</p>"


@dataclass(frozen=True)
class Protocol:
    title: str  # "Protokoll kommunfullmäktige 2025-10-28"
    meeting_date: date
    body: str  # paragraphs separated by blank lines; a paragraph starting with "§" is a heading
    body_name: str = "Kommunfullmäktige"


@dataclass(frozen=True)
class PublishedDocument:
    path: str  # URL path of the file: /download/18.<id>/<ts>/<name>
    title: str  # the link text on the listing
    meeting_page: str | None = None  # URL path of its meeting page, when it has one


# --- ids and names --------------------------------------------------------------------------------


def _hex(name: str, length: int = 24) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:length]


def page_path(slug: str) -> str:
    """A SiteVision page path: '/kommun-och-politik' -> '/kommun-och-politik.4.<hex>.html'."""
    return f"{slug}.4.{_hex(slug)}.html"


def download_path(filename: str, published: date) -> str:
    stamp = int(datetime.combine(published, time(12), tzinfo=UTC).timestamp() * 1000)
    return f"/download/18.{_hex(filename, 20)}/{stamp}/{filename}"


def swedish_date(day: date) -> str:
    return f"{day.day} {MONTHS_SV[day.month - 1]} {day.year}"


# --- PDFs -----------------------------------------------------------------------------------------


def pdf_document(title: str, pages: list[list[str]], created: date | None = None) -> bytes:
    """A text PDF: one list of lines per page; lines starting with '§' or in capitals are bold."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setTitle(title)
    canvas.setAuthor("Kommunkansliet")
    if created is not None:
        canvas.setDateFormatter(lambda *_parts: f"D:{created:%Y%m%d}120000+01'00'")
    for lines in pages:
        _draw_page(canvas, lines)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_page(canvas: Canvas, lines: list[str]) -> None:
    y = A4[1] - _MARGIN
    for line in lines:
        bold = line.startswith("§") or (line.isupper() and len(line) > 3)
        canvas.setFont("Helvetica-Bold" if bold else "Helvetica", 11)
        canvas.drawString(_MARGIN, y, line)
        y -= _LINE


def wrap(text: str) -> list[str]:
    """Paragraphs (blank-line separated) wrapped to the page width, a blank line between them.

    Lines of a paragraph are joined, except list items ("• ...", "- ...", "2. ...") which keep their own line.
    """
    lines: list[str] = []
    for paragraph in _PARAGRAPH_BREAK.split(text.strip()):
        for block in _blocks(paragraph):
            lines += simpleSplit(block, "Helvetica", 11, _WIDTH)
        lines.append("")
    return lines


def _blocks(paragraph: str) -> list[str]:
    blocks: list[str] = []
    for line in paragraph.splitlines():
        if not blocks or _LIST_ITEM.match(line):
            blocks.append("")
        blocks[-1] = f"{blocks[-1]} {line}"
    return [" ".join(block.split()) for block in blocks if block.strip()]


def paginate(lines: list[str], per_page: int = 46) -> list[list[str]]:
    return [lines[i:i + per_page] for i in range(0, len(lines), per_page)] or [[]]


def cover_lines(protocol: Protocol, municipality: str, paragraphs: int) -> list[str]:
    checked = date.fromordinal(protocol.meeting_date.toordinal() + 7)
    return [
        f"{municipality}s kommun", "", "SAMMANTRÄDESPROTOKOLL", protocol.body_name, "",
        f"Sammanträdesdatum {protocol.meeting_date.isoformat()}",
        f"Plats och tid Kommunhuset, {municipality}, kl. 18.30–21.00",
        "Beslutande Enligt närvarolista", "Övriga deltagande Kommunsekreterare",
        "Utses att justera Anna Öberg och Måns Ågren",
        f"Justeringens plats och tid Kommunkansliet {checked.isoformat()}",
        f"Paragrafer §§ 1–{max(paragraphs, 1)}", "", "Sekreterare ........................",
        "Ordförande ........................", "Justerare ........................", "",
        "ANSLAG/BEVIS", "Protokollet är justerat. Justeringen har tillkännagivits genom anslag.",
        f"Organ {protocol.body_name}", f"Anslaget den {checked.isoformat()}",
        "Förvaringsplats för protokollet Kommunkansliet",
    ]


def protocol_pdf(protocol: Protocol, municipality: str = "Vaggeryd") -> bytes:
    paragraphs = sum(1 for p in protocol.body.split("\n\n") if p.strip().startswith("§"))
    pages = [cover_lines(protocol, municipality, paragraphs)] + paginate(wrap(protocol.body))
    return pdf_document(protocol.title, pages, created=protocol.meeting_date)


def example_body(meeting_date: date, first_paragraph: int = 1) -> str:
    """Ordinary protocol business with å/ä/ö everywhere and nothing about the watched topic."""
    n = first_paragraph
    return f"""§ {n} Val av justerare

Kommunfullmäktige beslutar att utse Anna Öberg och Måns Ågren att justera dagens protokoll.

§ {n + 1} Årsredovisning för kommunala bolag (KS/{meeting_date.year}:12)

Beslut: Kommunfullmäktige godkänner årsredovisningen. Sammanfattning: Bolagen redovisar ett
överskott. Ärendebeskrivning: Kommunstyrelsen föreslår att fullmäktige godkänner redovisningen för
förskolans lokaler, äldreomsorgens särskilda boenden och gatubelysningen längs Skillingarydsvägen.

§ {n + 2} Motion om fler cykelvägar (KS/{meeting_date.year}:48)

Kommunfullmäktige beslutar att motionen anses besvarad. Yrkanden: Ordföranden yrkar bifall till
kommunstyrelsens förslag. Reservation: Ledamöterna för Miljöpartiet reserverar sig mot beslutet till
förmån för eget yrkande om att bifalla motionen.

§ {n + 3} Interpellation om skolskjutsar

Interpellationen är besvarad. Kommunalrådet svarar att skolskjutsarna i Hok och Svenarum ses över
under våren i samråd med föräldrarna."""


# --- the site -------------------------------------------------------------------------------------


@dataclass
class SiteVisionSite:
    root: Path
    municipality: str = "Vaggeryd"
    documents: list[PublishedDocument] = field(default_factory=list)
    home_path: str = "/"
    politics_path: str = page_path("/kommun-och-politik")
    listing_path: str = page_path("/kommun-och-politik/moten-handlingar-och-protokoll")

    def build(self, protocols: Iterable[Protocol] | None = None) -> SiteVisionSite:
        """Write the home page, the politics page, the listing, and a meeting page + PDF per protocol."""
        self.root.mkdir(parents=True, exist_ok=True)
        self._write("/robots.txt", b"User-agent: *\nDisallow: /sok/\n")
        self._write("/index.html", self._home().encode("utf-8"))
        self._write(self.politics_path, self._politics().encode("utf-8"))
        for slug, title in _PLAIN_PAGES.items():
            self._write(page_path(slug), self._page(title, _LOREM).encode("utf-8"))
        for protocol in default_protocols() if protocols is None else protocols:
            self._add_protocol(protocol)
        self._write_listing()
        return self

    def publish_protocol(self, title: str, meeting_date: date, body: str,
                         body_name: str = "Kommunfullmäktige") -> PublishedDocument:
        """Publish a new protocol later: its PDF, its meeting page and a link on the listing."""
        published = self._add_protocol(Protocol(title, meeting_date, body, body_name))
        self._write_listing()
        return published

    def publish_file(self, filename: str, data: bytes, link_text: str, published: date) -> PublishedDocument:
        """Put any bytes at a download path (e.g. a broken PDF) and link them from the listing."""
        document = PublishedDocument(download_path(filename, published), link_text)
        self._write(document.path, data)
        self.documents.append(document)
        self._write_listing()
        return document

    def pdf_paths(self) -> list[str]:
        return [d.path for d in self.documents if d.path.endswith(".pdf")]

    # --- internals ---

    def _add_protocol(self, protocol: Protocol) -> PublishedDocument:
        abbreviation = BODY_ABBREVIATIONS.get(protocol.body_name, "namnd")
        filename = f"protokoll-{abbreviation}-{protocol.meeting_date.isoformat()}.pdf"
        slug = f"/kommun-och-politik/moten-handlingar-och-protokoll/{abbreviation}-{protocol.meeting_date.isoformat()}"
        document = PublishedDocument(download_path(filename, protocol.meeting_date), protocol.title, page_path(slug))
        self._write(document.path, protocol_pdf(protocol, self.municipality))
        self._write(document.meeting_page, self._meeting(protocol, document).encode("utf-8"))
        self.documents.append(document)
        return document

    def _write(self, path: str, data: bytes) -> None:
        target = self.root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def _write_listing(self) -> None:
        self._write(self.listing_path, self._listing().encode("utf-8"))

    def _page(self, title: str, body: str) -> str:
        return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><meta name="generator" content="Sitevision">
<title>{html.escape(title)} - {self.municipality}s kommun</title>
<link rel="stylesheet" href="/sitevision/system-resource/style.css"></head>
<body><header class="sv-image-portlet"><a href="/">{self.municipality}s kommun</a>
<nav><a href="{self.politics_path}">Kommun och politik</a> <a href="/sok/">Sök</a></nav></header>
<main class="sv-text-portlet"><h1>{html.escape(title)}</h1>
{body}
</main>
<footer class="sv-text-portlet env-footer"><a href="mailto:kommun@{self.municipality.lower()}.se">E-post</a>
<a href="tel:+46370678000">Ring oss</a> <a href="javascript:void(0)">Cookies</a>
<a href="https://www.facebook.invalid/{self.municipality.lower()}skommun">Facebook</a></footer>
</body></html>
"""

    def _home(self) -> str:
        return self._page(f"Välkommen till {self.municipality}s kommun", f"""
<p>Här hittar du information om förskola, skola, omsorg och hur kommunen styrs.</p>
<ul><li><a href="{page_path('/forskola-och-skola')}">Förskola och skola</a></li>
<li><a href="{page_path('/bygga-bo-och-miljo')}">Bygga, bo och miljö</a></li>
<li><a href="{self.politics_path}">Kommun och politik</a></li></ul>""")

    def _politics(self) -> str:
        return self._page("Kommun och politik", f"""
<p>Kommunfullmäktige är kommunens högsta beslutande organ.</p>
<ul><li><a href="{self.listing_path}">Möten, handlingar och protokoll</a></li>
<li><a href="{page_path('/kommun-och-politik/budget-och-ekonomi')}">Budget och ekonomi</a></li></ul>""")

    def _listing(self) -> str:
        meetings = "\n".join(
            f'<li><a href="{d.meeting_page}">{html.escape(d.title.replace("Protokoll ", "Sammanträde "))}</a></li>'
            for d in self.documents if d.meeting_page)
        files = "\n".join(f'<li><a href="{d.path}">{html.escape(d.title)} (pdf, 120 kB)</a></li>'
                          for d in self.documents)
        return self._page("Möten, handlingar och protokoll", f"""
<p>Här publiceras kallelser och protokoll från kommunfullmäktige och kommunstyrelsen.</p>
<h2>Sammanträden</h2><ul>{meetings}</ul>
<h2>Senaste protokoll</h2><ul class="sv-file-portlet">{files}</ul>""")

    def _meeting(self, protocol: Protocol, document: PublishedDocument) -> str:
        heading = f"{protocol.body_name} {swedish_date(protocol.meeting_date)}"
        return self._page(heading, f"""
<p>Sammanträde i {protocol.body_name.lower()} den {swedish_date(protocol.meeting_date)}.</p>
<ul class="sv-file-portlet"><li><a href="{document.path}">{html.escape(protocol.title)} (pdf, 120 kB)</a></li></ul>
<p><a href="{self.listing_path}">Tillbaka till möten, handlingar och protokoll</a></p>""")


def default_protocols() -> list[Protocol]:
    """Two ordinary protocols from autumn 2025."""
    days = (date(2025, 9, 30), date(2025, 10, 28))
    return [Protocol(f"Protokoll kommunfullmäktige {day.isoformat()}", day, example_body(day, 1 + 10 * i))
            for i, day in enumerate(days)]
