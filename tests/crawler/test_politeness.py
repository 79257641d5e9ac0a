"""Polite and incremental crawling, measured at a real loopback server.

Per host at most `concurrent_requests_per_host` requests at once and `download_delay` between them; a
document larger than `max_document_bytes` is not downloaded; a run stops at `max_requests_per_run`; the
same text under a new URL, or re-exported at its old URL, is recognised as the same document.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from tests.support.crawls import CrawlHarness
from tests.support.httpserver import FixtureServer
from tests.support.platform_sites import FIXTURES, PlatformServer, sample_protocols, write_pdfs
from tests.support.sites import Protocol, SiteVisionSite, example_body, pdf_document, protocol_pdf


def test_one_request_at_a_time_per_host_with_the_delay_between(tmp_path: Path) -> None:
    root = tmp_path / "farm"
    shutil.copytree(FIXTURES / "meetingplus", root)
    write_pdfs(root, protocol_pdf, {p.title: p for p in sample_protocols()})
    with PlatformServer(root, answer_after_s=0.05) as server:
        harness = CrawlHarness(tmp_path, [server.site_url("/")], concurrent_requests_per_host=1,
                               download_delay=0.3)
        result = harness.crawl()

    assert result.exit_code == 0, result.summary
    assert server.most_in_flight["site"] == 1 and server.most_in_flight["portal"] == 1
    for arrivals in server.arrivals.values():
        gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:], strict=False)]
        assert len(gaps) >= 4 and min(gaps) >= 0.3 * 0.5 - 0.02  # Scrapy spreads the delay over 0.5-1.5x
    harness.close()


def test_a_document_over_the_size_limit_is_not_downloaded(harness: CrawlHarness, site: SiteVisionSite,
                                                          server: FixtureServer, tmp_path: Path) -> None:
    big = site.publish_file("protokoll-ks-2025-11-04.pdf", protocol_pdf(Protocol(
        "Protokoll KS", date(2025, 11, 4), example_body(date(2025, 11, 4)))) + b"%" * 400_000,
        "Protokoll kommunstyrelsen 2025-11-04", date(2025, 11, 4))
    (tmp_path / "limited").mkdir()
    limited = CrawlHarness(tmp_path / "limited", [server.url("/")], max_document_bytes=200_000)

    result = limited.crawl()

    assert sorted(limited.stored()) == sorted(server.url(p) for p in site.pdf_paths() if p != big.path)
    problems = [e for e in result.progress if e["url"] == server.url(big.path)]
    assert problems and problems[0]["outcome"] == "error"
    assert "larger than the size limit (crawl.max_document_bytes)" in problems[0]["error"]
    limited.close()


def test_a_run_stops_at_the_request_cap_and_says_so(tmp_path: Path, site: SiteVisionSite,
                                                    server: FixtureServer) -> None:
    capped = CrawlHarness(tmp_path, [server.url("/")], max_requests_per_run=3, concurrent_requests_per_host=1)

    result = capped.crawl()

    assert any("request cap" in w for w in result.summary["warnings"]), result.summary
    assert len(server.log) <= 3 + 1  # the cap, and at most one request already on its way
    capped.close()


def test_the_same_text_under_a_new_url_is_the_same_document(harness: CrawlHarness, site: SiteVisionSite,
                                                            server: FixtureServer) -> None:
    assert harness.crawl().exit_code == 0
    first_path = site.pdf_paths()[0]
    original = (site.root / first_path.lstrip("/")).read_bytes()
    reexported = _reexport(original)
    assert reexported != original
    moved = site.publish_file("protokoll-kf-2025-09-30-ny-export.pdf", reexported,
                              "Protokoll kommunfullmäktige 2025-09-30", date(2025, 9, 30))

    again = harness.crawl()

    outcomes = {e["url"]: e.get("stored") for e in again.progress}
    assert outcomes[server.url(moved.path)] == "same_text"
    assert server.url(moved.path) not in harness.stored()  # not analysed again
    assert again.summary["documents_new"] == 0


def test_a_re_exported_pdf_at_its_old_url_is_unchanged(harness: CrawlHarness, site: SiteVisionSite,
                                                       server: FixtureServer) -> None:
    assert harness.crawl().exit_code == 0
    path = site.pdf_paths()[0]
    target = site.root / path.lstrip("/")
    target.write_bytes(_reexport(target.read_bytes()))
    site.publish_protocol("Protokoll kommunfullmäktige 2025-11-25", date(2025, 11, 25),
                          example_body(date(2025, 11, 25)))  # the listing changes, so known files are rechecked
    server.reset_counts()

    again = harness.crawl()

    assert server.full_responses(path) == 1  # its ETag changed: downloaded once ...
    outcomes = {e["url"]: e.get("stored") for e in again.progress}
    assert outcomes[server.url(path)] == "unchanged"  # ... and recognised by its text
    assert again.summary["documents_new"] == 1


def _reexport(pdf: bytes) -> bytes:
    """The same text written out again: other metadata, so other bytes."""
    from io import BytesIO

    from pdfminer.high_level import extract_text

    text = extract_text(BytesIO(pdf))
    pages = [page.splitlines() for page in text.split("\f") if page.strip()]
    return pdf_document("Omexporterad", pages)


def test_a_portals_own_robots_txt_is_obeyed(tmp_path: Path) -> None:
    root = tmp_path / "farm"
    shutil.copytree(FIXTURES / "meetingplus", root)
    write_pdfs(root, protocol_pdf, {p.title: p for p in sample_protocols()})
    (root / "portal" / "robots.txt").write_text("User-agent: *\nDisallow: /committees\n", encoding="utf-8")
    with PlatformServer(root) as server:
        harness = CrawlHarness(tmp_path, [server.site_url("/")])
        result = harness.crawl()

    assert result.exit_code == 1  # nothing could be found: a failure, said plainly
    assert any("Forbidden by robots.txt" in w for w in result.summary["warnings"]), result.summary
    assert [target for side, target, _status in server.log if side == "portal"] == ["/robots.txt"]
    harness.close()
