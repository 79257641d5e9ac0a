"""Real malformed and hostile files, made at test time: scanned PDFs, PDF bombs, absurd HTML.

Nothing here is a stand-in: each is the kind of file a municipal site really serves, built so its fault is
certain (an image-only PDF has no text layer; the bomb inflates to a gigabyte of zeros).
"""

from __future__ import annotations

import io
import re
import zlib
from pathlib import Path

import reportlab
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

# Bitstream Vera ships with reportlab, so the scan has å, ä and ö on any machine.
FONT = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
_PAGE_PIXELS = (1654, 2339)  # A4 at 200 dpi, a common scanner setting

SCANNED_LINES = [
    "Kommunstyrelsen",
    "Protokoll 2025-11-04",
    "",
    "§ 7 Svar på remiss om frivillig återvandring",
    "",
    "Kommunstyrelsen beslutar att avböja",
    "uppdraget om återvandring.",
    "Paragrafen förklaras omedelbart justerad.",
]


def scanned_page(lines: list[str]) -> Image.Image:
    image = Image.new("L", _PAGE_PIXELS, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 44)
    for number, line in enumerate(lines):
        draw.text((140, 180 + number * 70), line, font=font, fill=0)
    return image


def scanned_pdf(pages: list[list[str]], title: str = "Skannat protokoll") -> bytes:
    """An image-only PDF: each page one picture of its lines, no text layer at all."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setTitle(title)
    for lines in pages:
        canvas.drawImage(ImageReader(scanned_page(lines)), 0, 0, width=A4[0], height=A4[1])
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def flate_bomb_pdf(inflated_mb: int = 1024) -> bytes:
    """A small PDF whose page content is a FlateDecode stream of `inflated_mb` MB of zeros."""
    packer = zlib.compressobj(9)
    chunk = bytes(16 * 1024 * 1024)
    stream = b"".join(packer.compress(chunk) for _ in range(max(1, inflated_mb // 16))) + packer.flush()
    return _pdf_with_content(stream, b"/Filter /FlateDecode ")


def _pdf_with_content(stream: bytes, filters: bytes, resources: bytes = b"/Resources << >> ") -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R " + resources + b">>",
        b"<< " + filters + b"/Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def deep_html(depth: int = 100_000) -> bytes:
    """A page nested `depth` divs deep, with a protocol's words at the bottom."""
    inner = "<p>Kommunfullmäktige § 1 återvandring</p>"
    return f"<html><body>{'<div>' * depth}{inner}{'</div>' * depth}</body></html>".encode()


def billion_laughs_feed() -> bytes:
    """An RSS feed with the classic exponential entity expansion."""
    entities = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
                                          for n in range(1, 10)]
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n{chr(10).join(entities)}\n]>\n'
            '<rss version="2.0"><channel><title>Lokaltidningen</title>'
            '<item><title>&lol9;</title><link>https://tidning.invalid/a</link></item></channel></rss>').encode()


def slow_to_parse_pdf(operators: int = 400_000) -> bytes:
    """A valid one-page PDF whose content stream holds `operators` text moves: minutes of layout analysis."""
    body = b"BT /F1 8 Tf " + b"1 0 Td (x) Tj " * operators + b"ET"
    stream = zlib.compress(body, 9)
    font = b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> "
    return _pdf_with_content(stream, b"/Filter /FlateDecode ", font)


def _text_pdf(lines: list[str], font: str, size: int = 13) -> bytes:
    """A one-page text PDF drawn in `font` (a registered reportlab font), uncompressed so its fonts can be
    altered byte for byte."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    canvas.setTitle("Protokoll")
    canvas.setFont(font, size)
    for number, line in enumerate(lines):
        canvas.drawString(72, 770 - number * 22, line)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _vera() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", str(FONT)))
    return "Vera"


def pdf_without_unicode_map(lines: list[str]) -> bytes:
    """A PDF whose embedded font has no ToUnicode map: å, ä, ö and § come out of pdfminer as (cid:N).

    reportlab writes a ToUnicode CMap for its TrueType subsets; the reference to it is blanked out
    (spaces of the same length, so the cross-reference offsets still hold).  The page looks the same."""
    data = _text_pdf(lines, _vera())
    return re.sub(rb"/ToUnicode \d+ 0 R", lambda match: b" " * len(match[0]), data)


def pdf_with_wrong_unicode_map(lines: list[str]) -> bytes:
    """A PDF whose ToUnicode map sends every letter to the Private Use Area: the page looks right, the text
    layer is mostly not letters (as exports with symbol-font mappings give).  Same byte length throughout."""
    data = _text_pdf(lines, _vera())
    return re.sub(rb"<([4-7][0-9A-F])> <00([4-7][0-9A-F])>", rb"<\1> <E0\2>", data)


def pdf_with_a_few_unmapped_symbols(lines: list[str]) -> bytes:
    """Body text in Helvetica (readable) with a bullet in a font without ToUnicode before every tenth line:
    a few (cid:N) codes, as a symbol font gives them, in text that reads well."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=0)
    vera = _vera()
    for number, line in enumerate(lines):
        if number % 10 == 0:
            canvas.setFont(vera, 13)
            canvas.drawString(60, 770 - number * 22, "§")
        canvas.setFont("Helvetica", 13)
        canvas.drawString(80, 770 - number * 22, line)
    canvas.showPage()
    canvas.save()
    return re.sub(rb"/ToUnicode \d+ 0 R", lambda match: b" " * len(match[0]), buffer.getvalue())
