"""Real crawls of the fixture site through `python -m crawler.run`, as the service runs them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.support.crawls import SOURCE_KEY, CrawlHarness, closed_port, run_crawler
from tests.support.httpserver import FixtureServer
from tests.support.sites import SiteVisionSite, example_body, pdf_document

NEW_BODY = """§ 31 Svar på interpellation om återvandring

Kommunstyrelsens ordförande svarar att Vaggeryds kommun tackar nej till inbjudan från den nationella
samordnaren för återvandring."""


def test_first_crawl_stores_every_protocol_with_its_text(harness: CrawlHarness, site: SiteVisionSite) -> None:
    result = harness.crawl()

    assert result.exit_code == 0, result.stderr
    assert result.summary["ok"] is True
    assert result.summary["errors"] == []
    assert result.summary["documents_new"] == 2 and result.summary["documents_seen"] == 2
    stored = harness.stored()
    assert sorted(stored) == sorted(harness_url(harness, path) for path in site.pdf_paths())
    first = stored[harness_url(harness, site.pdf_paths()[0])]
    assert "SAMMANTRÄDESPROTOKOLL" in first.text and "Måns Ågren" in first.text
    assert first.title == "Protokoll kommunfullmäktige 2025-09-30"
    assert first.published_on == date(2025, 9, 30)
    assert len(first.pages) == 2 and first.text[first.pages[1]:].startswith("§ 1 Val av justerare")
    assert {e["outcome"] for e in result.progress} == {"new"}


def test_the_crawl_stores_into_postgresql_too(tmp_path: Path, database_url: str, site: SiteVisionSite,
                                              server: FixtureServer) -> None:
    harness = CrawlHarness(tmp_path, [server.url("/")], database_url=database_url)

    first, second = harness.crawl(), harness.crawl()

    assert (first.exit_code, first.summary["documents_new"]) == (0, 2)
    assert (second.exit_code, second.summary["documents_new"], second.summary["documents_seen"]) == (0, 0, 2)
    assert sorted(harness.known()) == sorted(server.url(p) for p in site.pdf_paths())
    harness.close()


def test_later_crawls_download_no_known_pdf_and_find_the_new_one(harness: CrawlHarness, site: SiteVisionSite,
                                                                 server: FixtureServer) -> None:
    assert harness.crawl().exit_code == 0
    server.reset_counts()

    second = harness.crawl()

    assert second.exit_code == 0, second.stderr
    assert second.summary["documents_seen"] == 2 and second.summary["documents_new"] == 0
    assert all(server.requests(path) == 0 for path in site.pdf_paths())
    assert server.requests(site.listing_path) == 1 and server.full_responses(site.listing_path) == 0  # 304

    published = site.publish_protocol("Protokoll kommunfullmäktige 2025-11-25", date(2025, 11, 25), NEW_BODY)
    server.reset_counts()
    third = harness.crawl()

    assert third.exit_code == 0, third.stderr
    assert third.summary["documents_new"] == 1 and third.summary["documents_seen"] == 3
    assert [e["url"] for e in third.progress] == [server.url(published.path)]
    assert server.requests(published.path) == 1
    # the listing changed, so its known PDFs were rechecked with their stored validators: 304, no body
    assert all(server.full_responses(path) == 0 and server.requests(path) == 1
               for path in site.pdf_paths() if path != published.path)
    assert "tackar nej till inbjudan" in harness.stored()[server.url(published.path)].text


def test_a_start_url_answering_404_fails_the_source(harness: CrawlHarness, server: FixtureServer) -> None:
    server.set_status("/", 404)

    result = harness.crawl()

    assert result.exit_code == 1
    assert result.summary["ok"] is False
    assert result.summary["errors"] == [f"{server.url('/')} returned HTTP 404"]


def test_a_failed_start_url_fails_the_source_but_the_others_are_crawled(tmp_path: Path, site: SiteVisionSite,
                                                                        server: FixtureServer) -> None:
    gone = server.url("/kommun-och-politik/protokoll-2019.4.1a2b3c.html")
    unreachable = f"http://127.0.0.1:{closed_port()}/kommun-och-politik/"
    harness = CrawlHarness(tmp_path, [gone, server.url("/"), unreachable])

    result = harness.crawl()

    assert result.exit_code == 1
    assert result.summary["errors"] == [f"{gone} returned HTTP 404", f"{unreachable}: connection refused"]
    assert result.summary["documents_new"] == 2
    assert sorted(harness.stored()) == sorted(server.url(p) for p in site.pdf_paths())
    harness.close()


def test_an_unreachable_start_url_fails_the_source(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/kommun-och-politik/"
    harness = CrawlHarness(tmp_path, [url])

    result = harness.crawl()

    assert result.exit_code == 1
    assert result.summary["errors"] == [f"{url}: connection refused"]
    harness.close()


def test_a_site_without_protocols_fails_the_source(tmp_path: Path) -> None:
    site = SiteVisionSite(tmp_path / "site").build(protocols=[])
    with FixtureServer(site.root) as server:
        harness = CrawlHarness(tmp_path, [server.url("/")])
        result = harness.crawl()

    assert result.exit_code == 1
    assert result.summary["errors"] == [f"found no protocol documents from {server.url('/')}"]
    harness.close()


def test_unreadable_documents_fail_the_source_but_everything_is_stored(harness: CrawlHarness, site: SiteVisionSite,
                                                                      server: FixtureServer) -> None:
    broken = site.publish_file("protokoll-ks-2025-11-04.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF\n",
                               "Protokoll kommunstyrelsen 2025-11-04", date(2025, 11, 4))
    error_page = site.publish_file("protokoll-ks-2025-11-18.pdf", b"<!DOCTYPE html><html><body>Serverfel</body></html>",
                                   "Protokoll kommunstyrelsen 2025-11-18", date(2025, 11, 18))

    result = harness.crawl()

    assert result.exit_code == 1
    errors = result.summary["errors"]
    assert len(errors) == 2
    assert any(e.startswith(f"{server.url(broken.path)}: malformed PDF:") for e in errors)
    assert f"{server.url(error_page.path)}: not a PDF (looks like HTML)" in errors
    stored = harness.stored()
    assert len(stored) == 4  # the two good protocols and the two bad ones, each with its reason
    assert stored[server.url(broken.path)].error.startswith("malformed PDF")
    assert all(stored[server.url(p)].error is None for p in site.pdf_paths()[:2])

    server.reset_counts()
    again = harness.crawl()

    # a malformed PDF is quarantined: not fetched again; an HTML error page where a PDF was promised is the
    # server's passing fault: fetched again on the next crawls (crawler.extraction.reread, MAX_FETCH_ATTEMPTS)
    assert server.requests(broken.path) == 0 and server.requests(error_page.path) == 1
    assert again.summary["errors"] == [f"{server.url(error_page.path)}: not a PDF (looks like HTML)"]


def test_private_addresses_are_refused_unless_allowed(tmp_path: Path, server: FixtureServer) -> None:
    harness = CrawlHarness(tmp_path, [server.url("/")], allow_private_addresses=False)

    result = harness.crawl()

    assert result.exit_code == 1
    [error] = result.summary["errors"]
    assert error.startswith(f"{server.url('/')}: refused: 127.0.0.1 is a loopback address")
    assert "allow_private_addresses" in error
    assert server.log == []  # not even robots.txt
    harness.close()


def test_robots_txt_is_obeyed(harness: CrawlHarness, site: SiteVisionSite, server: FixtureServer) -> None:
    (site.root / "robots.txt").write_text("User-agent: *\nDisallow: /download/\n", encoding="utf-8")

    result = harness.crawl()

    assert result.exit_code == 1  # every protocol is behind the disallowed path
    [error] = result.summary["errors"]
    assert error.startswith("found 2 protocol documents but could not download any")
    assert error.endswith(": Forbidden by robots.txt)")
    assert all(server.requests(path) == 0 for path in site.pdf_paths())
    assert server.requests("/robots.txt") == 1


def test_bad_arguments_and_unknown_sources_exit_2(harness: CrawlHarness) -> None:
    missing_run = run_crawler("--config", str(harness.config_path), "--source", SOURCE_KEY, cwd=harness.tmp_path)
    unknown = run_crawler("--config", str(harness.config_path), "--source", "nope", "--run-id", "1",
                          cwd=harness.tmp_path)
    bad_config = run_crawler("--config", str(harness.tmp_path / "missing.toml"), "--source", SOURCE_KEY,
                             "--run-id", "1", cwd=harness.tmp_path)

    assert missing_run.exit_code == 2 and "--run-id" in missing_run.summary["errors"][0]
    assert unknown.exit_code == 2 and unknown.summary["errors"] == ["no source 'nope' in the configuration"]
    assert bad_config.exit_code == 2 and "file not found" in bad_config.summary["errors"][0]


def test_crawl_settings_reach_the_crawl(tmp_path: Path, site: SiteVisionSite, server: FixtureServer) -> None:
    harness = CrawlHarness(tmp_path, [server.url("/")], contact="redaktionen@example.org", pdf_max_pages=1)

    result = harness.crawl()

    assert result.exit_code == 0
    assert server.user_agents() and all(
        ua.startswith("kommunvakt/") and ua.endswith("(+redaktionen@example.org)") for ua in server.user_agents())
    assert sum("only the first pages were read" in w for w in result.summary["warnings"]) == 2
    assert all(len(d.pages) == 1 and "Val av justerare" not in d.text for d in harness.stored().values())
    harness.close()


def harness_url(harness: CrawlHarness, path: str) -> str:
    start = harness.config.source(SOURCE_KEY).start_urls[0]
    return start.rstrip("/") + path


def test_example_pdf_helpers_are_deterministic() -> None:
    body = example_body(date(2025, 10, 28))
    assert pdf_document("x", [body.splitlines()]) == pdf_document("x", [body.splitlines()])


def test_a_document_that_cannot_be_stored_is_an_error_naming_it(harness: CrawlHarness, site: SiteVisionSite,
                                                                server: FixtureServer) -> None:
    harness.config.raw_dir.parent.mkdir(parents=True, exist_ok=True)
    harness.config.raw_dir.write_text("a file where the raw store's directory should be", encoding="utf-8")

    result = harness.crawl()

    assert result.exit_code == 1
    errors = result.summary["errors"]
    assert sorted(e.split(": could not store: ")[0] for e in errors) == sorted(
        server.url(p) for p in site.pdf_paths())
    assert harness.stored() == {}  # no row without its raw file
