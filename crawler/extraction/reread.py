"""What becomes of documents that could not be read (monitor.domain.ReadState), and reading them again.

- READ: fine.
- NEEDS_OCR: a PDF without a text layer on a machine without Tesseract.  Read again from its stored bytes
  (no download) at the start of its source's next crawl once OCR works, or now with `kommunvakt reread`.
- QUARANTINED: the parser hung, ran out of memory, crashed, or the file is malformed, encrypted or of an
  unsupported type.  A known URL is never downloaded again, and the stored bytes are not read again while
  the same extractor is installed: one bad PDF costs its time limit once, not on every crawl.  When the
  extractor changes (pdfminer.six, Tesseract or kommunvakt upgraded) the next crawl of its source reads it
  again once; `kommunvakt reread` does so deliberately now (e.g. after raising crawl.pdf_timeout_seconds).
- REFETCH: the server sent an HTML error page or nothing where a PDF was promised.  That is the server's
  passing fault, so the URL is downloaded again on the next crawls, MAX_FETCH_ATTEMPTS times in all.

Reading again never takes a crawl's time: at most REREADS_PER_CRAWL documents per crawl, none started after
REREAD_SHARE of crawl.timeout_seconds, each within the sandbox limits; the rest wait for the next crawl.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from crawler.extraction.extractor import (
    READER_VERSION,
    Extraction,
    PdfLimits,
    current_extractors,
    extract_document,
    failed,
)
from crawler.extraction.ocr import ocr_unavailable
from crawler.links import expects_pdf, redact
from monitor.config import Config
from monitor.domain import ReadState
from storage.db import Database
from storage.quarantine import Reading, UnreadDocument, record_reading, unread_documents
from storage.rawstore import RawStore, sha256
from storage.repository import KnownDocument

MAX_FETCH_ATTEMPTS = 3
REREADS_PER_CRAWL = 20
REREAD_SHARE = 0.25  # of the crawl's time limit, at most, before the crawl itself starts
WAITING = (ReadState.NEEDS_OCR, ReadState.QUARANTINED)


@dataclass(frozen=True)
class RereadOutcome:
    source_key: str
    url: str
    read_state: ReadState
    extractor: str
    error: str | None


OnReread = Callable[[RereadOutcome], None]


# --- downloading again ---------------------------------------------------------------------------


def to_download_again(known: Mapping[str, KnownDocument]) -> set[str]:
    """Known URLs that served an error page instead of the document and have tries left."""
    return {url for url, document in known.items()
            if document.read_state == ReadState.REFETCH and document.read_attempts < MAX_FETCH_ATTEMPTS}


def without_downloads_again(known: Mapping[str, KnownDocument]) -> dict[str, KnownDocument]:
    """What the spider treats as known (not fetched): everything except what is downloaded again."""
    again = to_download_again(known)
    return {url: document for url, document in known.items() if url not in again}


# --- reading again -------------------------------------------------------------------------------


def due_for_reading(documents: Iterable[UnreadDocument], ocr_ready: bool,
                    extractors: frozenset[str]) -> list[UnreadDocument]:
    """Waiting for OCR (when it works now), or quarantined by an extractor this installation no longer has."""
    due = []
    for document in documents:
        if document.read_state is ReadState.NEEDS_OCR and ocr_ready:
            due.append(document)
        elif document.read_state is ReadState.QUARANTINED and document.extractor not in extractors:
            due.append(document)
    return due


def reread_before_crawl(database: Database, config: Config, source_key: str,
                        on_reread: OnReread | None = None) -> list[RereadOutcome]:
    """The automatic pass at the start of a crawl: what became readable since, for this source."""
    limits = PdfLimits.from_settings(config.crawl)
    with database.transaction() as session:
        waiting = unread_documents(session, WAITING, [source_key])
    if not waiting:
        return []
    due = due_for_reading(waiting, ocr_unavailable(limits.ocr) is None, current_extractors(limits.ocr))
    deadline = time.monotonic() + config.crawl.timeout_seconds * REREAD_SHARE
    return reread(database, RawStore(config.raw_location), limits, due[:REREADS_PER_CRAWL], on_reread, deadline)


def reread_everything(database: Database, config: Config, source_keys: Iterable[str] | None = None,
                      on_reread: OnReread | None = None) -> list[RereadOutcome]:
    """`kommunvakt reread`: every document waiting for OCR or quarantined, read again now."""
    with database.transaction() as session:
        waiting = unread_documents(session, WAITING, source_keys)
    return reread(database, RawStore(config.raw_location), PdfLimits.from_settings(config.crawl), waiting, on_reread)


def reread(database: Database, store: RawStore, limits: PdfLimits, documents: Iterable[UnreadDocument],
           on_reread: OnReread | None = None, deadline: float | None = None) -> list[RereadOutcome]:
    """Read each document again from its stored bytes and record it; none is started after `deadline`."""
    outcomes = []
    for document in documents:
        if deadline is not None and time.monotonic() >= deadline:
            break
        extraction = read_again(store, document, limits)
        with database.transaction() as session:
            record_reading(session, document.id, reading_of(extraction), datetime.now(UTC))
        outcome = RereadOutcome(document.source_key, document.url, extraction.state, extraction.extractor,
                                extraction.error)
        outcomes.append(outcome)
        if on_reread is not None:
            on_reread(outcome)
    return outcomes


def read_again(store: RawStore, document: UnreadDocument, limits: PdfLimits) -> Extraction:
    try:
        data = store.get(document.raw_path)
    except OSError as exc:
        return failed(READER_VERSION, f"the stored bytes are missing ({exc.strerror or exc}); "
                                      f"it is read again only when downloaded again")
    return extract_document(data, document.url, document.content_type, limits, expect_pdf=expects_pdf(document.url))


def reading_of(extraction: Extraction) -> Reading:
    text_hash = sha256(extraction.text.encode("utf-8")) if extraction.text else ""
    return Reading(extraction.text, text_hash, extraction.pages, extraction.extractor, extraction.error,
                   extraction.state)


def describe(outcome: RereadOutcome) -> str:
    what = "read" if outcome.read_state is ReadState.READ else f"still unreadable: {outcome.error}"
    return f"{redact(outcome.url)}: read again ({outcome.extractor}): {what}"
