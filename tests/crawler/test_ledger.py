"""When a crawl counts as failed, and what its summary says."""

from __future__ import annotations

from crawler.ledger import CrawlLedger

START = ("https://www.vaggeryd.se/", "https://www.vaggeryd.se/politik/")
PDF = "https://www.vaggeryd.se/download/18.1/2/protokoll-kf-2025-10-28.pdf"


def ledger() -> CrawlLedger:
    return CrawlLedger("0665-protocols", START)


def test_a_crawl_that_stores_documents_is_ok() -> None:
    account = ledger()
    account.stored(PDF, "new", None)
    account.found("https://www.vaggeryd.se/download/18.2/3/old.pdf", known=True)

    summary = account.summary()

    assert summary.ok and summary.errors == ()
    assert (summary.documents_seen, summary.documents_new) == (2, 1)


def test_finding_nothing_is_a_failure() -> None:
    summary = ledger().summary()

    assert not summary.ok
    assert summary.errors == ("found no protocol documents from https://www.vaggeryd.se/, https://www.vaggeryd.se/politik/",)


def test_documents_that_could_not_be_downloaded_do_not_count_as_found() -> None:
    account = ledger()
    account.download_failed(PDF, f"{PDF}: Forbidden by robots.txt")

    summary = account.summary()

    assert summary.errors == (f"found 1 protocol documents but could not download any (first: {PDF}: Forbidden by robots.txt)",)
    assert account.warnings == [f"{PDF}: Forbidden by robots.txt"]


def test_a_failed_start_url_fails_the_crawl_and_says_why() -> None:
    account = ledger()
    account.stored(PDF, "new", None)
    account.start_failed(START[1], f"{START[1]} returned HTTP 404")

    assert account.summary().errors == (f"{START[1]} returned HTTP 404",)


def test_when_every_start_url_failed_that_is_the_whole_story() -> None:
    account = ledger()
    for url in START:
        account.start_failed(url, f"{url}: connection refused")

    assert account.summary().errors == tuple(f"{url}: connection refused" for url in START)


def test_an_unreadable_document_fails_the_crawl_but_is_counted() -> None:
    account = ledger()
    account.stored(PDF, "new", "malformed PDF: PSEOF: Unexpected EOF")

    summary = account.summary()

    assert summary.errors == (f"{PDF}: malformed PDF: PSEOF: Unexpected EOF",)
    assert summary.documents_new == 1


def test_how_the_crawl_ended() -> None:
    capped, stopped = ledger(), ledger()
    capped.stored(PDF, "unchanged", None)
    capped.closed("closespider_pagecount")
    stopped.stored(PDF, "same_text", None)
    stopped.closed("shutdown")

    assert capped.summary().ok and "request cap" in capped.warnings[0]
    assert stopped.summary().errors == ("the crawl was stopped before it finished",)
    assert stopped.summary().documents_new == 0
