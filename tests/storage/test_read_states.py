"""Read states in storage (SQLite and PostgreSQL): what waits, what is quarantined, and recording a re-read."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest

from crawler.extraction.extractor import PdfLimits
from crawler.extraction.reread import MAX_FETCH_ATTEMPTS, due_for_reading, reread, to_download_again
from monitor.domain import FetchedDocument, ReadState, SourceConfig, SourceKind
from monitor.municipalities import Registry
from storage import repository as repo
from storage import status_views as status
from storage.db import open_database
from storage.quarantine import Reading, record_reading, unread_documents
from storage.rawstore import RawStore, sha256

NOW = datetime(2025, 11, 4, 12, 0, tzinfo=UTC)
SOURCE = SourceConfig(key="vaggeryd-protocols", kind=SourceKind.PROTOCOLS, municipality_code="0665",
                      start_urls=("http://127.0.0.1/",))


def fetched(url: str, body: bytes, state: ReadState, error: str | None) -> FetchedDocument:
    return FetchedDocument(source_key=SOURCE.key, url=url, fetched_at=NOW, content_type="application/pdf",
                           content_hash=sha256(body), raw=body, extractor="pdfminer.six/20191110", error=error,
                           published_on=date(2025, 11, 4), read_state=state)


@pytest.fixture
def database(database_url):
    database = open_database(database_url)
    with database.transaction() as session:
        repo.sync_municipalities(session, Registry.load())
        repo.sync_sources(session, [SOURCE], NOW)
    yield database
    database.dispose()


def store(database, document: FetchedDocument) -> str:
    with database.transaction() as session:
        return repo.store_document(session, document, None)


def test_states_are_stored_counted_and_listed(database) -> None:
    store(database, fetched("http://x/scan.pdf", b"scan", ReadState.NEEDS_OCR, "no text layer ..."))
    store(database, fetched("http://x/bomb.pdf", b"bomb", ReadState.QUARANTINED, "exceeded memory limit"))
    store(database, fetched("http://x/page.pdf", b"<html>", ReadState.REFETCH, "not a PDF (looks like HTML)"))

    with database.transaction() as session:
        summary = status.reading_summary(session)
        waiting = unread_documents(session, [ReadState.NEEDS_OCR, ReadState.QUARANTINED])
        known = repo.known_documents(session, SOURCE.key)

    assert (summary.waiting_for_ocr, summary.quarantined) == (1, 1)
    assert [(d.url, d.read_state) for d in waiting] == [("http://x/scan.pdf", ReadState.NEEDS_OCR),
                                                         ("http://x/bomb.pdf", ReadState.QUARANTINED)]
    assert to_download_again(known) == {"http://x/page.pdf"}
    due = due_for_reading(waiting, ocr_ready=False, extractors=frozenset({"pdfminer.six/20191110"}))
    assert due == []  # no OCR here, and the bomb's extractor is still the one installed
    due = due_for_reading(waiting, ocr_ready=True, extractors=frozenset({"pdfminer.six/20260107"}))
    assert [d.url for d in due] == ["http://x/scan.pdf", "http://x/bomb.pdf"]


def test_an_error_page_served_again_counts_its_tries_until_it_is_left_alone(database) -> None:
    page = fetched("http://x/page.pdf", b"<html>", ReadState.REFETCH, "not a PDF (looks like HTML)")
    for _ in range(MAX_FETCH_ATTEMPTS):
        store(database, page)
    other = fetched("http://x/page.pdf", b"<html>other", ReadState.REFETCH, "not a PDF (looks like HTML)")
    outcome = store(database, other)

    with database.transaction() as session:
        known = repo.known_documents(session, SOURCE.key)
    assert outcome == "changed" and known["http://x/page.pdf"].read_attempts == MAX_FETCH_ATTEMPTS + 1
    assert to_download_again(known) == set()


def test_a_successful_re_read_makes_the_document_pending_for_analysis(database) -> None:
    store(database, fetched("http://x/scan.pdf", b"scan", ReadState.NEEDS_OCR, "no text layer ..."))
    with database.transaction() as session:
        [waiting] = unread_documents(session, [ReadState.NEEDS_OCR])
        repo.mark_analysed(session, waiting.id, NOW)  # the analysis passed over it, having no text

    text = "Kommunstyrelsen beslutar att avböja uppdraget om återvandring."
    with database.transaction() as session:
        record_reading(session, waiting.id, Reading(text, sha256(text.encode()), (0,), "ocr:tesseract/5.3.0", None,
                                                    ReadState.READ), NOW)

    with database.transaction() as session:
        [pending] = repo.pending_documents(session)
        summary = status.reading_summary(session)
    assert (pending.id, pending.text, pending.error) == (waiting.id, text, None)
    assert summary.waiting_for_ocr == 0


def test_reading_again_stops_at_its_deadline(database, tmp_path) -> None:
    store(database, fetched("http://x/scan.pdf", b"scan", ReadState.NEEDS_OCR, "no text layer ..."))
    with database.transaction() as session:
        waiting = unread_documents(session, [ReadState.NEEDS_OCR])

    assert reread(database, RawStore(tmp_path), PdfLimits(), waiting, deadline=time.monotonic()) == []
    outcomes = reread(database, RawStore(tmp_path), PdfLimits(), waiting)  # its bytes are not in this store
    assert [o.read_state for o in outcomes] == [ReadState.QUARANTINED]
    assert "the stored bytes are missing" in (outcomes[0].error or "")
