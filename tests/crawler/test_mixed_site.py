"""One crawl of a site that mixes good documents with every kind of bad one (tests/faults/site.py).

All good ones are stored, each bad one is recorded with its reason, retries are bounded, the crawl ends
within its time limit, and the next crawls neither download nor parse a quarantined document again.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.extraction.ocr import OcrSettings, ocr_unavailable
from crawler.extraction.reread import MAX_FETCH_ATTEMPTS
from tests.support.crawls import CrawlHarness, CrawlResult
from tests.support.fault_site import CRAWL_LIMITS, LISTING, Entry, mixed_site
from tests.support.faultserver import FaultServer

pytestmark = pytest.mark.slow
OCR_HERE = ocr_unavailable(OcrSettings()) is None


class World:
    def __init__(self, tmp_path: Path, server: FaultServer):
        self.server = server
        self.entries = mixed_site(server)
        self.harness = CrawlHarness(tmp_path, [server.url(LISTING)], **CRAWL_LIMITS)
        self.database_path = tmp_path / "kommunvakt.db"

    def url(self, entry: Entry) -> str:
        return self.server.url(entry.path)

    def of(self, expect: str) -> list[Entry]:
        return [e for e in self.entries if e.expect == expect]

    def rows(self) -> dict[str, tuple]:
        with sqlite3.connect(self.database_path) as db:
            found = db.execute("select url, error, read_state, extractor, text, read_attempts from documents "
                               "where is_current").fetchall()
        return {row[0]: row[1:] for row in found}


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[World]:
    with FaultServer() as server:
        built = World(tmp_path_factory.mktemp("mixed"), server)
        yield built
        built.harness.close()


@pytest.fixture(scope="module")
def first(world: World) -> tuple[CrawlResult, float]:
    started = time.monotonic()
    result = world.harness.crawl()
    return result, time.monotonic() - started


def test_the_crawl_finishes_within_its_time_limit_and_says_it_failed(first) -> None:
    result, seconds = first

    assert seconds < CRAWL_LIMITS["timeout_seconds"]
    assert result.exit_code == 1 and result.summary["ok"] is False  # unreadable documents fail the source
    assert "Traceback" not in result.stderr


def test_every_good_document_is_stored_with_its_text(world: World, first) -> None:
    rows = world.rows()

    for entry in world.of("stored"):
        error, state, extractor, text, _ = rows[world.url(entry)]
        if entry.path.endswith("skannat.pdf") and not OCR_HERE:
            assert state == "needs_ocr" and text == ""
            continue
        assert (error, state) == (None, "read"), entry.path
        assert len(text) > 150
    page_text = rows[world.server.url("/protokoll/ks-2025-10-21.html")][3]
    assert "återremittera ärendet om äldreomsorgens lokaler" in page_text and "beredning – med" in page_text


@pytest.mark.skipif(not OCR_HERE, reason="Tesseract (swe+eng) and pdftoppm are not installed")
def test_the_scanned_protocol_is_ocr_text(world: World, first) -> None:
    _, _, extractor, text, _ = world.rows()[world.server.url(
        "/download/18.1/1700000000000/protokoll-ks-2025-11-04-skannat.pdf")]

    assert extractor.startswith("ocr:tesseract/")
    assert "avböja" in text and "återvandring" in text


def test_every_unreadable_document_is_stored_with_its_reason(world: World, first) -> None:
    rows = world.rows()
    summary_errors = " ".join(first[0].summary["errors"])

    for entry in world.of("unreadable"):
        error, state, _, text, _ = rows[world.url(entry)]
        assert error is not None and entry.reason in error, (entry.path, error)
        assert text == ""
        assert state == ("refetch" if "looks like HTML" in entry.reason else "quarantined")
        assert entry.reason in summary_errors


def test_every_failed_download_is_reported_with_its_reason_and_retried_a_bounded_number_of_times(
        world: World, first) -> None:
    result, _ = first
    reported = {event["url"]: event.get("error", "") for event in result.progress if event["outcome"] == "error"}
    rows = world.rows()

    for entry in world.of("download"):
        assert entry.reason in reported[world.url(entry)], (entry.path, reported.get(world.url(entry)))
        assert world.url(entry) not in rows  # nothing half-stored: it is tried again next crawl
        assert 1 <= world.server.requests(entry.path) <= 3  # Scrapy's retries: RETRY_TIMES = 2


def test_hostile_links_are_never_followed(world: World, first) -> None:
    result, _ = first
    urls = [event["url"] for event in result.progress] + list(world.rows())

    assert not [url for url in urls if not url.startswith("http://127.0.0.1:")]
    assert world.server.requests("/protokoll/arkiv") == 1  # the absurdly deep page was read and survived


def test_the_next_crawls_leave_quarantined_documents_alone_and_try_error_pages_again_a_few_times(
        world: World, first) -> None:
    quarantined = [e for e in world.of("unreadable") if "looks like HTML" not in e.reason]
    error_page = next(e for e in world.of("unreadable") if "looks like HTML" in e.reason)
    good = [e for e in world.of("stored") if e.path.endswith(".pdf")]  # pages are asked for again, conditionally

    for _ in range(MAX_FETCH_ATTEMPTS):
        world.harness.crawl()

    for entry in quarantined + good:
        assert world.server.requests(entry.path) == 1, entry.path  # never downloaded (or parsed) again
    assert world.server.requests(error_page.path) == MAX_FETCH_ATTEMPTS  # then it is left alone too
    assert world.rows()[world.url(error_page)][4] == MAX_FETCH_ATTEMPTS
