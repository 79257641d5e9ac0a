"""Text out of fetched documents: PDFs (pdfminer.six in a sandbox child) and HTML pages (trafilatura).

Every function here returns an :class:`Extraction`; none raises for a bad document and none hangs:
what could not be read is said in `Extraction.error`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from crawler.html import (
    TRAFILATURA_VERSION,
    charset_from_content_type,
    decode_html,
    looks_like_html,
    main_text,
    page_title,
    visible_text,
)
from crawler.pdf import PDFMINER_VERSION, PdfContent, read_pdf
from crawler.sandbox import ChildFailure, ChildLimits, ChildResult, run_in_child
from monitor.analysis.normalise import clean_text
from monitor.config import CrawlSettings

PAGE_SEPARATOR = "\n\n"
NO_TEXT_LAYER = "no text layer (scanned PDF?): OCR unavailable"


@dataclass(frozen=True)
class PdfLimits:
    timeout_seconds: float = 60
    memory_mb: int = 1024
    max_pages: int = 500

    @classmethod
    def from_settings(cls, crawl: CrawlSettings) -> PdfLimits:
        return cls(crawl.pdf_timeout_seconds, crawl.pdf_memory_mb, crawl.pdf_max_pages)


@dataclass(frozen=True)
class Extraction:
    text: str  # clean_text-ed
    title: str
    pages: tuple[int, ...]  # start offset of each page in `text` (PDF only)
    published_on: date | None  # from the PDF's metadata
    extractor: str  # "pdfminer.six/<version>" or "trafilatura/<version>"
    error: str | None = None  # why the document could not be read
    truncated: bool = False  # only the first `max_pages` pages were read

    @property
    def ok(self) -> bool:
        return self.error is None


def failed(extractor: str, error: str) -> Extraction:
    return Extraction(text="", title="", pages=(), published_on=None, extractor=extractor, error=error)


# --- PDF ------------------------------------------------------------------------------------------


def is_pdf(data: bytes) -> bool:
    """PDF magic bytes; readers accept the header anywhere in the first kilobyte."""
    return b"%PDF-" in data[:1024]


def not_pdf_reason(data: bytes) -> str:
    if not data.strip():
        return "not a PDF (empty response)"
    if looks_like_html(data):
        return "not a PDF (looks like HTML)"
    return "not a PDF (no %PDF header)"


def extract_pdf(data: bytes, limits: PdfLimits) -> Extraction:
    if not is_pdf(data):
        return failed(PDFMINER_VERSION, not_pdf_reason(data))
    result = run_in_child(partial(read_pdf, data, limits.max_pages),
                          ChildLimits(limits.timeout_seconds, limits.memory_mb))
    if not result.ok or result.value is None:
        return failed(PDFMINER_VERSION, _pdf_failure(result))
    return _pdf_extraction(result.value)


def _pdf_failure(result: ChildResult[PdfContent]) -> str:
    if result.failure is ChildFailure.EXCEPTION:
        if result.message.startswith("PDFPasswordIncorrect"):
            return "encrypted PDF: a password is needed to read it"
        return f"malformed PDF: {result.message}"
    return result.message or "PDF parser gave no result"


def _pdf_extraction(content: PdfContent) -> Extraction:
    pages = [clean_text(page) for page in content.pages]
    text, offsets = join_pages(pages)
    return Extraction(
        text=text, title=content.title, pages=offsets, published_on=content.created_on,
        extractor=PDFMINER_VERSION, error=None if text.strip() else NO_TEXT_LAYER, truncated=content.truncated,
    )


def join_pages(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """One text from cleaned page texts, with the offset where each page starts (empty pages add nothing)."""
    text, offsets = "", []
    for page in pages:
        if text and page:
            text += PAGE_SEPARATOR
        offsets.append(len(text))
        text += page
    return text, tuple(offsets)


# --- HTML -----------------------------------------------------------------------------------------


def extract_html(data: bytes, url: str, declared_encoding: str | None) -> Extraction:
    html = decode_html(data, declared_encoding)
    text = clean_text(main_text(html, url) or visible_text(html))
    return Extraction(text=text, title=page_title(html), pages=(), published_on=None,
                      extractor=TRAFILATURA_VERSION, error=None if text.strip() else "no text in the page")


# --- either ---------------------------------------------------------------------------------------


def _says_pdf(content_type: str) -> bool:
    return "pdf" in content_type.lower()


def _says_html(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() in ("text/html", "application/xhtml+xml")


def extract_document(data: bytes, url: str, content_type: str, limits: PdfLimits,
                     expect_pdf: bool = False) -> Extraction:
    """Read whatever arrived: PDF by magic bytes or by what the server/URL promised, else HTML."""
    try:
        return _extract_document(data, url, content_type, limits, expect_pdf)
    except Exception as exc:  # noqa: BLE001 - a reader's bug must not cost the crawl; the document says why
        return failed("", f"could not read the document: {type(exc).__name__}: {exc}"[:500])


def _extract_document(data: bytes, url: str, content_type: str, limits: PdfLimits, expect_pdf: bool) -> Extraction:
    if is_pdf(data) or _says_pdf(content_type) or expect_pdf:
        return extract_pdf(data, limits)
    if _says_html(content_type) or looks_like_html(data):
        return extract_html(data, url, charset_from_content_type(content_type))
    shown = content_type.split(";")[0].strip() or "unknown"
    return failed("", f"unsupported document type: {shown}")
