"""Reading local files for `kommunvakt analyze`: the same extraction the crawler uses."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from crawler.extraction.extractor import PdfLimits, extract_document, is_pdf
from crawler.extraction.html import looks_like_html
from monitor.analysis.normalise import clean_text
from monitor.config import CrawlSettings


class FileReadError(OSError):
    pass


class ReadDocument(NamedTuple):
    text: str  # extracted and cleaned: the offsets of the analysis index it
    pages: tuple[int, ...] = ()  # start offset of each page in `text` (PDF only)


def read_document(path: Path, crawl: CrawlSettings) -> ReadDocument:
    """Text (and, for a PDF, where each page starts in it) of a PDF, HTML or plain-text file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileReadError(f"cannot read {path}: {exc.strerror or exc}") from None
    if is_pdf(data) or path.suffix.lower() == ".pdf" or path.suffix.lower() in (".html", ".htm") \
            or looks_like_html(data):
        extraction = extract_document(data, path.as_uri(), _content_type(path), PdfLimits.from_settings(crawl))
        if extraction.error:
            raise FileReadError(f"{path}: {extraction.error}")
        return ReadDocument(extraction.text, tuple(extraction.pages))
    return ReadDocument(clean_text(decode_text(data)))


def _content_type(path: Path) -> str:
    return {".pdf": "application/pdf", ".html": "text/html", ".htm": "text/html"}.get(path.suffix.lower(), "")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which Swedish sites and files still use."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
