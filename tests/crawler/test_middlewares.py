"""The downloader middlewares: address/scheme refusals and conditional requests."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response

from crawler.middlewares.addresses import PrivateAddressMiddleware
from crawler.middlewares.conditional import CACHED, CONDITIONAL, ConditionalRequestMiddleware
from crawler.pagecache import PageCache

FAKE_DNS = {"www.vaggeryd.se": ["93.184.216.34"], "intranet.vaggeryd.se": ["10.1.2.3"],
            "sneaky.example.org": ["93.184.216.34", "127.0.0.1"]}


def check(url: str, allow_private: bool = False) -> None:
    middleware = PrivateAddressMiddleware(allow_private, resolver=lambda host: FAKE_DNS.get(host, []))
    asyncio.run(middleware.process_request(Request(url)))


@pytest.mark.parametrize(("url", "reason"), [
    ("http://127.0.0.1:8080/", "127.0.0.1 is a loopback address"),
    ("http://[::1]/", "::1 is a loopback address"),
    ("http://10.0.0.7/protokoll.pdf", "10.0.0.7 is a private address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://intranet.vaggeryd.se/", "intranet.vaggeryd.se resolves to a private address (10.1.2.3)"),
    ("https://sneaky.example.org/", "sneaky.example.org resolves to a loopback address (127.0.0.1)"),
])
def test_private_addresses_are_refused(url: str, reason: str) -> None:
    with pytest.raises(IgnoreRequest) as refused:
        check(url)

    assert str(refused.value) == f"refused: {reason}; set [crawl] allow_private_addresses = true to allow it"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://ftp.vaggeryd.se/protokoll.pdf", "data:text/html,x"])
def test_other_schemes_are_refused_even_when_private_addresses_are_allowed(url: str) -> None:
    with pytest.raises(IgnoreRequest, match="is not http or https"):
        check(url, allow_private=True)


@pytest.mark.parametrize("url", ["https://www.vaggeryd.se/kommun-och-politik/", "https://does-not-resolve.invalid/"])
def test_public_and_unresolvable_hosts_pass(url: str) -> None:
    check(url)  # an unresolvable host fails at download time with its own clear error


def test_private_addresses_pass_when_allowed() -> None:
    check("http://127.0.0.1:8080/", allow_private=True)


# --- conditional requests ----------------------------------------------------------------------

URL = "https://www.vaggeryd.se/moten-handlingar-och-protokoll.4.1a.html"
BODY = b"<html><body><a href='/download/18.1/2/p.pdf'>Protokoll</a></body></html>"


def middleware(tmp_path: Path) -> ConditionalRequestMiddleware:
    return ConditionalRequestMiddleware(PageCache.open(tmp_path, "0665-protocols"))


def test_a_page_seen_before_is_asked_for_conditionally_and_a_304_gives_the_kept_page(tmp_path: Path) -> None:
    first = middleware(tmp_path)
    request = Request(URL, meta={CONDITIONAL: True})
    first.process_response(request, HtmlResponse(URL, body=BODY, headers={
        "Content-Type": "text/html; charset=utf-8", "ETag": '"v1"', "Last-Modified": "Tue, 28 Oct 2025 10:00:00 GMT"}))
    first.spider_closed("finished")

    later = middleware(tmp_path)
    again = Request(URL, meta={CONDITIONAL: True})
    later.process_request(again)
    kept = later.process_response(again, Response(URL, status=304))

    assert again.headers.get("If-None-Match") == b'"v1"'
    assert again.headers.get("If-Modified-Since") == b"Tue, 28 Oct 2025 10:00:00 GMT"
    assert isinstance(kept, HtmlResponse) and kept.status == 200 and kept.body == BODY and CACHED in kept.flags


def test_documents_and_pages_without_validators_are_not_conditional(tmp_path: Path) -> None:
    cache = middleware(tmp_path)
    cache.process_response(Request(URL, meta={CONDITIONAL: True}),
                           HtmlResponse(URL, body=BODY, headers={"Content-Type": "text/html"}))
    document = Request("https://www.vaggeryd.se/download/18.1/2/p.pdf")
    page = Request(URL, meta={CONDITIONAL: True})

    cache.process_request(document)
    cache.process_request(page)

    assert "If-None-Match" not in document.headers and "If-Modified-Since" not in page.headers


def test_a_damaged_page_cache_means_full_requests_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "0665-protocols.json").write_text("{not json", encoding="utf-8")
    request = Request(URL, meta={CONDITIONAL: True})

    middleware(tmp_path).process_request(request)

    assert "If-None-Match" not in request.headers


def test_an_answer_identical_to_last_time_counts_as_unchanged_even_without_validators(tmp_path: Path) -> None:
    from scrapy.http import JsonRequest, TextResponse

    first = middleware(tmp_path)
    page = Request(URL, meta={CONDITIONAL: True})
    call = JsonRequest("https://diariet.example.se/json", method="POST", body='{"method": "ReadItems"}',
                       meta={CONDITIONAL: True})
    answer = TextResponse(call.url, body=b'{"result": {"value": []}}', encoding="utf-8")
    assert CACHED not in first.process_response(page, HtmlResponse(URL, body=BODY, encoding="utf-8")).flags
    assert CACHED not in first.process_response(call, answer).flags
    first.spider_closed("finished")

    later = middleware(tmp_path)
    same_page = later.process_response(page, HtmlResponse(URL, body=BODY, encoding="utf-8"))
    same_answer = later.process_response(call, answer)
    changed = later.process_response(page, HtmlResponse(URL, body=BODY + b"<p>ny</p>", encoding="utf-8"))
    later.process_request(call)

    assert CACHED in same_page.flags and CACHED in same_answer.flags and CACHED not in changed.flags
    assert "If-None-Match" not in call.headers  # API calls are never sent with validators
