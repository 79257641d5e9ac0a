"""Hostile input is refused or bounded: entity bombs in feeds, absurdly deep HTML, PDF bombs, other schemes.

(A crawl that meets these on a live site is in test_mixed_site.py; PDF bombs there and in
tests/crawler/test_extract.py.)
"""

from __future__ import annotations

import asyncio
import time

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from crawler.extraction.extractor import PdfLimits, extract_document, extract_html, extract_pdf
from crawler.extraction.ocr import OcrSettings
from crawler.feeds import FeedError, parse_feed
from crawler.middlewares.addresses import PrivateAddressMiddleware
from monitor.domain import ReadState
from tests.support.fault_documents import _pdf_with_content, billion_laughs_feed, deep_html, flate_bomb_pdf

FEED_URL = "https://tidning.example/rss"


def test_an_entity_bomb_in_a_feed_is_refused_at_once() -> None:
    started = time.monotonic()

    with pytest.raises(FeedError, match="refused: the feed declares XML entities"):
        parse_feed(billion_laughs_feed(), FEED_URL, "application/rss+xml")

    assert time.monotonic() - started < 1


def test_an_external_entity_in_a_feed_reads_no_file() -> None:
    feed = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
            b'<rss version="2.0"><channel><title>T</title><item><title>&x;</title>'
            b'<link>https://tidning.example/1</link></item></channel></rss>')

    with pytest.raises(FeedError, match="refused") as raised:
        parse_feed(feed, FEED_URL)

    with open("/etc/hostname", encoding="utf-8") as handle:
        secret = handle.read().strip()
    assert not secret or secret not in str(raised.value)


def test_absurdly_deep_html_is_read_within_bounds() -> None:
    started = time.monotonic()

    extraction = extract_html(deep_html(100_000), "https://kommun.example/sida", None)

    assert time.monotonic() - started < 20
    # libxml2 stops at its depth limit: what lies deeper is not read, and the page says it had no text
    assert extraction.error == "no text in the page" and extraction.state is ReadState.QUARANTINED


def test_deep_html_within_the_parsers_limit_is_read() -> None:
    extraction = extract_html(deep_html(200), "https://kommun.example/sida", None)

    assert "återvandring" in extraction.text


def test_a_flate_bomb_costs_its_memory_limit_and_no_more() -> None:
    started = time.monotonic()

    extraction = extract_document(flate_bomb_pdf(512), "https://kommun.example/p.pdf", "application/pdf",
                                  PdfLimits(timeout_seconds=30, memory_mb=256, max_pages=5))

    assert extraction.error == "exceeded memory limit"
    assert time.monotonic() - started < 30


def test_deeply_nested_pdf_objects_do_not_take_the_parser_down() -> None:
    nested = _pdf_with_content(b"[" * 200_000 + b"]" * 200_000, b"")

    extraction = extract_pdf(nested, PdfLimits(timeout_seconds=10, memory_mb=256, max_pages=5, ocr=OcrSettings("")))

    assert extraction.text == "" and extraction.error is not None  # an answer, whatever the parser made of it


async def _refused(url: str) -> str:
    middleware = PrivateAddressMiddleware(allow_private=True)
    try:
        await middleware.process_request(Request(url))
    except IgnoreRequest as refused:
        return str(refused)
    return ""


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://127.0.0.1/protokoll.pdf", "data:application/pdf;base64,JVBERi0=",
    "gopher://127.0.0.1:70/", "FILE:///etc/passwd",
])
def test_other_schemes_are_refused_even_where_private_addresses_are_allowed(url: str) -> None:
    assert asyncio.run(_refused(url)).startswith("refused: scheme")
