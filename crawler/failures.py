"""Why a request failed, in words a user can act on: 'https://x/ returned HTTP 404'."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer
from twisted.internet import error as twisted_errors
from twisted.python.failure import Failure

from crawler.links import redact, without_fragment
from crawler.resolver import refusal

_REASONS: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((CannotResolveHostError, twisted_errors.DNSLookupError), "could not resolve the host name"),
    ((DownloadConnectionRefusedError, twisted_errors.ConnectionRefusedError), "connection refused"),
    ((DownloadTimeoutError, twisted_errors.TimeoutError, twisted_errors.TCPTimedOutError), "timed out"),
    ((ResponseDataLossError,), "the download was cut off (truncated response)"),
    ((twisted_errors.ConnectionLost, twisted_errors.ConnectionDone), "the connection was lost"),
    ((twisted_errors.ConnectError,), "could not connect"),
)


SIZE_LIMIT = "larger than the size limit (crawl.max_document_bytes): not downloaded"


def describe(failure: Failure, url: str) -> str:
    """One sentence naming the URL and the reason, without credentials."""
    shown = redact(url)
    exception = failure.value
    if isinstance(exception, HttpError):
        response = exception.response
        if 300 <= response.status < 400:
            return f"{shown} {redirect_problem(response.url, response.status, _location(response))}"
        return f"{shown} returned HTTP {response.status}"
    refused = _refused_at_connect(exception, url)
    return f"{shown}: {refused or reason(exception)}"


def _refused_at_connect(exception: BaseException, url: str) -> str | None:
    """A name that could not be resolved because every address it gave was private (crawler.resolver)."""
    if not isinstance(exception, CannotResolveHostError | twisted_errors.DNSLookupError):
        return None
    why = refusal(urlsplit(url).hostname or "")
    return f"refused at connect time: {why}; set [crawl] allow_private_addresses = true to allow it" if why else None


def redirect_problem(url: str, status: int, location: str) -> str:
    """Why a redirect was not followed: another scheme, a loop, or too many."""
    if not location:
        return f"returned HTTP {status} without a Location to follow"
    target = urljoin(url, location)
    if urlsplit(target).scheme.lower() not in ("http", "https"):
        return f"redirects to {redact(target)}: refused (only http and https are followed)"
    if without_fragment(target) == without_fragment(url):
        return f"redirects to itself (HTTP {status}): a redirect loop"
    return f"redirects to {redact(target)} (HTTP {status}), which was not followed: a redirect loop or too many"


def _location(response) -> str:
    value = response.headers.get(b"Location")
    return value.decode("latin-1") if value else ""


def reason(exception: BaseException) -> str:
    for types, text in _REASONS:
        if isinstance(exception, types):
            return text
    if isinstance(exception, DownloadCancelledError | defer.CancelledError):
        message = _short(exception)
        return SIZE_LIMIT if not message or "max size" in message else f"download cancelled: {message}"
    if isinstance(exception, IgnoreRequest):
        return _short(exception) or "request ignored"
    if isinstance(exception, DownloadFailedError):
        return f"download failed: {_short(exception)}"
    return f"{type(exception).__name__}: {_short(exception)}".rstrip(": ")


def _short(exception: BaseException) -> str:
    return " ".join(str(exception).split())[:300]
