"""Conditional requests for pages: send the last ETag / Last-Modified, turn a 304 into the kept page.

Only requests with ``meta[CONDITIONAL]`` take part (listing, meeting and portal pages; documents are
asked for conditionally by the spider itself, with the validators they were stored with).  A response
that is the same as last time carries the flag ``"cached"``: rebuilt from the cache after a 304, or a
full answer whose body has not changed (servers without validators, portal API calls made with POST).
"""

from __future__ import annotations

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response, TextResponse
from scrapy.responsetypes import responsetypes

from crawler.pagecache import PageCache
from storage.rawstore import sha256

CONDITIONAL = "kommunvakt_conditional"
CACHE_AS = "kommunvakt_cache_as"  # an adapter's stable name for a call whose body changes per session
CACHED = "cached"
_MAX_KEPT_BYTES = 5 * 1024 * 1024


class ConditionalRequestMiddleware:
    def __init__(self, cache: PageCache):
        self.cache = cache

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        state_dir = crawler.settings.get("KOMMUNVAKT_STATE_DIR")
        source_key = crawler.settings.get("KOMMUNVAKT_SOURCE_KEY")
        if not state_dir or not source_key:
            raise NotConfigured("KOMMUNVAKT_STATE_DIR and KOMMUNVAKT_SOURCE_KEY are needed for conditional requests")
        middleware = cls(PageCache.open(state_dir, source_key))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Request) -> None:
        if request.meta.get(CONDITIONAL) and request.method == "GET":
            for name, value in self.cache.validators(request.url).items():
                request.headers.setdefault(name, value)

    def process_response(self, request: Request, response: Response) -> Response:
        if not request.meta.get(CONDITIONAL):
            return response
        if response.status == 304:
            return self._from_cache(request, response)
        if response.status == 200 and isinstance(response, TextResponse) and len(response.body) <= _MAX_KEPT_BYTES:
            if self._remember(request, response):
                return response.replace(flags=[*response.flags, CACHED])
        return response

    def spider_closed(self, reason: str) -> None:
        self.cache.save(prune=reason == "finished")

    def _remember(self, request: Request, response: Response) -> bool:
        if request.method != "GET":  # an API call: only whether its answer changed matters
            return self.cache.remember(cache_key(request), response.body, None, None, "")
        return self.cache.remember(request.url, response.body, _header(response, b"ETag"),
                                   _header(response, b"Last-Modified"), _header(response, b"Content-Type") or "")

    def _from_cache(self, request: Request, response: Response) -> Response:
        kept = self.cache.recall(request.url)
        if kept is None:
            return response  # nothing kept: the 304 goes on and is reported as an HTTP error
        entry, body = kept
        headers = Headers({"Content-Type": entry.content_type, "ETag": entry.etag or "",
                           "Last-Modified": entry.last_modified or ""})
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return cls(url=request.url, status=200, headers=headers, body=body, flags=[CACHED], request=request)


def cache_key(request: Request) -> str:
    """GET pages by URL; other calls by the adapter's name for them, else method, URL and digest of the body."""
    if request.meta.get(CACHE_AS):
        return str(request.meta[CACHE_AS])
    if request.method == "GET":
        return request.url
    return f"{request.method} {request.url} {sha256(request.body)[:32]}"


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
