"""pdfminer.six, page by page.  Runs inside the sandbox child (see crawler.extraction.sandbox)."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

import pdfminer
from pdfminer.converter import TextConverter
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.utils import decode_text

from crawler.dates import date_from_pdf

PDFMINER_VERSION = f"pdfminer.six/{pdfminer.__version__}"
_JUNK_TITLE_PREFIXES = ("microsoft word - ", "microsoft powerpoint - ")
_JUNK_TITLES = {"untitled", "namnlös", "dokument1", "document1"}

logging.getLogger("pdfminer").setLevel(logging.ERROR)


@dataclass(frozen=True)
class PdfContent:
    pages: tuple[str, ...]  # raw text of each page read, as pdfminer gives it
    title: str  # from the metadata; '' when absent or meaningless
    created_on: date | None  # CreationDate, else ModDate
    truncated: bool  # the PDF has more pages than were read


def read_pdf(data: bytes, max_pages: int) -> PdfContent:
    document = PDFDocument(PDFParser(io.BytesIO(data)))
    pages, truncated = _page_texts(document, max_pages)
    info = _info(document)
    return PdfContent(tuple(pages), _title(info), _created_on(info), truncated)


def _page_texts(document: PDFDocument, max_pages: int) -> tuple[list[str], bool]:
    manager = PDFResourceManager(caching=True)
    texts: list[str] = []
    for page in PDFPage.create_pages(document):
        if len(texts) == max_pages:
            return texts, True
        texts.append(_page_text(manager, page))
    return texts, False


def _page_text(manager: PDFResourceManager, page: PDFPage) -> str:
    out = io.StringIO()
    device = TextConverter(manager, out, laparams=LAParams())
    try:
        PDFPageInterpreter(manager, device).process_page(page)
    finally:
        device.close()
    return out.getvalue().rstrip("\f")


def _info(document: PDFDocument) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for entry in document.info:
        merged.update({str(key): resolve1(value) for key, value in entry.items()})
    return merged


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return decode_text(value).strip()
    return value.strip() if isinstance(value, str) else ""


def _title(info: dict[str, Any]) -> str:
    title = " ".join(_text(info.get("Title")).split())
    for prefix in _JUNK_TITLE_PREFIXES:
        if title.lower().startswith(prefix):
            title = title[len(prefix):]
    return "" if title.lower() in _JUNK_TITLES else title


def _created_on(info: dict[str, Any]) -> date | None:
    for key in ("CreationDate", "ModDate"):
        found = date_from_pdf(_text(info.get(key)))
        if found:
            return found
    return None
