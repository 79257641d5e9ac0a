"""Text out of fetched documents: PDFs (pdfminer.six in a sandbox child) and HTML pages (trafilatura).

Every function here returns an :class:`Extraction`; none raises for a bad document and none hangs:
what could not be read is said in `Extraction.error`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from importlib import metadata
from pathlib import Path

from crawler.extraction.html import (
    TRAFILATURA_VERSION,
    charset_from_content_type,
    decode_html,
    looks_like_html,
    main_text,
    page_title,
    visible_text,
)
from crawler.extraction.ocr import OcrSettings, ocr_extractor, ocr_pages, ocr_unavailable, work_directory
from crawler.extraction.pdf import PDFMINER_VERSION, PdfContent, read_pdf
from crawler.extraction.sandbox import ChildFailure, ChildLimits, ChildResult, run_in_child
from crawler.extraction.textlayer import unreadable_text_layer
from monitor.analysis.normalise import clean_text
from monitor.config import CrawlSettings
from monitor.domain import ReadState

PAGE_SEPARATOR = "\n\n"
NO_TEXT_LAYER = "no text layer (scanned PDF?), OCR unavailable"  # followed by ": <why>"
NO_TEXT_AFTER_OCR = "no text layer, and OCR found no text either"
UNREADABLE_TEXT_LAYER = "text layer unreadable"  # followed by " (<why>), OCR unavailable: <why>" or similar
WAITS_FOR_OCR = (NO_TEXT_LAYER, UNREADABLE_TEXT_LAYER)  # how the errors of documents that wait for OCR begin


def _package_version() -> str:
    try:
        return metadata.version("kommunvakt")
    except metadata.PackageNotFoundError:
        return "0"


READER_VERSION = f"kommunvakt/{_package_version()}"  # failures before any reader ran (unsupported type, a bug)


@dataclass(frozen=True)
class PdfLimits:
    """The sandbox's limits for one document: pdfminer and OCR each get `memory_mb` and the page cap."""

    timeout_seconds: float = 60
    memory_mb: int = 1024
    max_pages: int = 500
    ocr: OcrSettings = OcrSettings()
    ocr_timeout_seconds: float = 600

    @classmethod
    def from_settings(cls, crawl: CrawlSettings) -> PdfLimits:
        return cls(crawl.pdf_timeout_seconds, crawl.pdf_memory_mb, crawl.pdf_max_pages,
                   OcrSettings(crawl.ocr_command, crawl.ocr_languages), crawl.ocr_timeout_seconds)


@dataclass(frozen=True)
class Extraction:
    text: str  # clean_text-ed
    title: str
    pages: tuple[int, ...]  # start offset of each page in `text` (PDF only)
    published_on: date | None  # from the PDF's metadata
    extractor: str  # "pdfminer.six/<version>", "trafilatura/<version>", or "ocr:tesseract/<version>" (OCR text)
    error: str | None = None  # why the document could not be read
    truncated: bool = False  # only the first `max_pages` pages were read
    state: ReadState = ReadState.READ  # what becomes of a document that could not be read

    @property
    def ok(self) -> bool:
        return self.error is None


def failed(extractor: str, error: str, state: ReadState = ReadState.QUARANTINED) -> Extraction:
    return Extraction(text="", title="", pages=(), published_on=None, extractor=extractor, error=error,
                      state=state)


# --- PDF ------------------------------------------------------------------------------------------


def is_pdf(data: bytes) -> bool:
    """PDF magic bytes; readers accept the header anywhere in the first kilobyte."""
    return b"%PDF-" in data[:1024]


def _not_pdf_state(data: bytes) -> ReadState:
    """An error page or an empty body instead of the PDF is the server's passing fault: download it again."""
    return ReadState.REFETCH if not data.strip() or looks_like_html(data) else ReadState.QUARANTINED


def not_pdf_reason(data: bytes) -> str:
    if not data.strip():
        return "not a PDF (empty response)"
    if looks_like_html(data):
        return "not a PDF (looks like HTML)"
    return "not a PDF (no %PDF header)"


def extract_pdf(data: bytes, limits: PdfLimits) -> Extraction:
    if not is_pdf(data):
        return failed(PDFMINER_VERSION, not_pdf_reason(data), _not_pdf_state(data))
    result = run_in_child(partial(read_pdf, data, limits.max_pages),
                          ChildLimits(limits.timeout_seconds, limits.memory_mb))
    if not result.ok or result.value is None:
        return failed(PDFMINER_VERSION, _pdf_failure(result))
    extraction = _pdf_extraction(result.value)
    if not extraction.text.strip():
        return extract_by_ocr(data, limits, extraction)
    garbled = unreadable_text_layer(extraction.text)
    if garbled:
        return extract_by_ocr(data, limits, replace(extraction, text="", pages=()), garbled)
    return extraction


def extract_by_ocr(data: bytes, limits: PdfLimits, layout: Extraction, garbled: str | None = None) -> Extraction:
    """A PDF without a (readable) text layer: OCR it in the sandbox, or say why it waits for OCR.

    `garbled` says why a text layer that is there cannot be read (crawler.textlayer)."""
    problem = ocr_unavailable(limits.ocr)
    if problem:
        waiting = f"{NO_TEXT_LAYER}: {problem}" if garbled is None else \
            f"{UNREADABLE_TEXT_LAYER} ({garbled}), OCR unavailable: {problem}"
        return replace(layout, error=waiting, state=ReadState.NEEDS_OCR)
    extractor = ocr_extractor(limits.ocr.command)
    with work_directory() as work:
        result = run_in_child(partial(ocr_pages, data, limits.ocr, limits.max_pages, Path(work)),
                              ChildLimits(limits.ocr_timeout_seconds, limits.memory_mb))
    if not result.ok or result.value is None:
        return replace(layout, extractor=extractor, error=f"OCR failed: {_ocr_failure(result)}",
                       state=ReadState.QUARANTINED)
    text, offsets = join_pages([clean_text(page) for page in result.value])
    if not text.strip():
        nothing = NO_TEXT_AFTER_OCR if garbled is None else \
            f"{UNREADABLE_TEXT_LAYER} ({garbled}), and OCR found no text either"
        return replace(layout, extractor=extractor, error=nothing, state=ReadState.QUARANTINED)
    return replace(layout, text=text, pages=offsets, extractor=extractor, error=None, state=ReadState.READ)


def _ocr_failure(result: ChildResult[tuple[str, ...]]) -> str:
    message = result.message or "no result"
    return message.split(": ", 1)[1] if message.startswith("OcrError: ") else message


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
        extractor=PDFMINER_VERSION, truncated=content.truncated,
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
    error = None if text.strip() else "no text in the page"
    return Extraction(text=text, title=page_title(html), pages=(), published_on=None,
                      extractor=TRAFILATURA_VERSION, error=error,
                      state=ReadState.READ if error is None else ReadState.QUARANTINED)


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
        return failed(READER_VERSION, f"could not read the document: {type(exc).__name__}: {exc}"[:500])


def _extract_document(data: bytes, url: str, content_type: str, limits: PdfLimits, expect_pdf: bool) -> Extraction:
    if is_pdf(data) or _says_pdf(content_type) or expect_pdf:
        return extract_pdf(data, limits)
    if _says_html(content_type) or looks_like_html(data):
        return extract_html(data, url, charset_from_content_type(content_type))
    shown = content_type.split(";")[0].strip() or "unknown"
    return failed(READER_VERSION, f"unsupported document type: {shown}")


def current_extractors(ocr: OcrSettings) -> frozenset[str]:
    """The readers this installation has: a document quarantined by another one is worth reading again."""
    names = {PDFMINER_VERSION, TRAFILATURA_VERSION, READER_VERSION}
    if ocr_unavailable(ocr) is None:
        names.add(ocr_extractor(ocr.command))
    return frozenset(names)
