"""HTTP faults at a source's start page: each is a clear per-source error, retries are bounded, nothing crashes.

(Faults of single documents are in test_mixed_site.py.)  Every case is a real crawl (`python -m crawler.run`)
against the fault server on loopback.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.support.crawls import CrawlHarness
from tests.support.fault_site import ERROR_PAGE, cp1252_protocol_page
from tests.support.faultserver import Behaviour, Endless, FaultServer, Redirect, Silent, Slow, Static, Truncated
from tests.support.sites import Protocol, example_body, protocol_pdf

pytestmark = pytest.mark.slow
LIMITS = {"download_timeout_seconds": 1, "max_document_bytes": 1_000_000, "timeout_seconds": 60}

START_FAULTS = [
    ("server error", Static(ERROR_PAGE, status=500), "returned HTTP 500", 3),
    ("no answer", Silent(seconds=5), "timed out", 3),
    ("very slow answer", Slow(b"<html>" + b" " * 10_000, seconds=4, content_type="text/html"), "timed out", 3),
    ("truncated page", Truncated(b"<html>" + b" " * 100_000), "cut off", 3),
    ("redirect to itself", Redirect("/start"), "which this crawl already fetched (a redirect loop", 1),
    ("redirect to a file", Redirect("file:///etc/passwd"), "redirects to file:///etc/passwd: refused", 1),
    ("redirect to ftp", Redirect("ftp://127.0.0.1/protokoll/"), "refused (only http and https", 1),
    ("endless page", Endless(content_type="text/html"), "larger than the size limit", 1),
]


@pytest.fixture
def server():
    with FaultServer() as running:
        yield running


def crawl(tmp_path: Path, server: FaultServer, behaviour: Behaviour, **settings: object):
    server.route("/start", behaviour)
    harness = CrawlHarness(tmp_path, [server.url("/start")], **{**LIMITS, **settings})
    try:
        return harness.crawl(), harness
    finally:
        harness.close()


@pytest.mark.parametrize(("behaviour", "reason", "tries"), [c[1:] for c in START_FAULTS],
                         ids=[c[0] for c in START_FAULTS])
def test_a_start_page_fault_is_a_per_source_error(tmp_path: Path, server: FaultServer, behaviour: Behaviour,
                                                  reason: str, tries: int) -> None:
    result, _ = crawl(tmp_path, server, behaviour)

    assert result.exit_code == 1 and result.summary["ok"] is False
    errors = " ".join(result.summary["errors"])
    assert reason in errors, errors
    assert server.url("/start") in errors  # it names what failed
    assert server.requests("/start") == tries  # retries are bounded
    assert "Traceback" not in result.stderr


def test_a_loopback_address_is_refused_unless_allowed(tmp_path: Path, server: FaultServer) -> None:
    result, _ = crawl(tmp_path, server, Static(b"<html></html>"), allow_private_addresses=False)

    assert result.exit_code == 1
    assert "refused: 127.0.0.1 is a loopback address" in " ".join(result.summary["errors"])
    assert server.requests("/start") == 0  # not even asked


def test_a_windows_1252_listing_without_charset_is_read_and_its_pdf_stored(tmp_path: Path,
                                                                          server: FaultServer) -> None:
    meeting = date(2025, 10, 28)
    pdf = protocol_pdf(Protocol("Protokoll kommunfullmäktige 2025-10-28", meeting, example_body(meeting)))
    server.route("/files/protokoll-kf.pdf", Static(pdf, "application/pdf"))
    server.route("/protokoll/ks.html", Static(cp1252_protocol_page(), "text/html"))
    listing = ('<html><head><title>Sammanträden och protokoll</title></head><body><h1>Protokoll för nämnder och '
               'styrelser</h1><a href="/files/protokoll-kf.pdf">Protokoll kommunfullmäktige 28 oktober</a> '
               '<a href="/protokoll/ks.html">Protokoll kommunstyrelsen 21 oktober</a></body></html>')

    result, harness = crawl(tmp_path, server, Static(listing.encode("cp1252"), "text/html"))

    assert result.exit_code == 0, result.summary
    titles = {e.get("title") for e in result.progress}
    assert "Protokoll kommunfullmäktige 28 oktober" in titles  # the link text, decoded right
    assert "Protokoll kommunstyrelsen 21 oktober" in titles
