"""Why a request failed, in words a user can act on: 'https://x/ returned HTTP 404'."""

from __future__ import annotations

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
from twisted.internet import error as twisted_errors
from twisted.python.failure import Failure

from crawler.links import redact

_REASONS: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((CannotResolveHostError, twisted_errors.DNSLookupError), "could not resolve the host name"),
    ((DownloadConnectionRefusedError, twisted_errors.ConnectionRefusedError), "connection refused"),
    ((DownloadTimeoutError, twisted_errors.TimeoutError, twisted_errors.TCPTimedOutError), "timed out"),
    ((ResponseDataLossError,), "the download was cut off (truncated response)"),
    ((twisted_errors.ConnectionLost, twisted_errors.ConnectionDone), "the connection was lost"),
    ((twisted_errors.ConnectError,), "could not connect"),
)


def describe(failure: Failure, url: str) -> str:
    """One sentence naming the URL and the reason, without credentials."""
    shown = redact(url)
    exception = failure.value
    if isinstance(exception, HttpError):
        return f"{shown} returned HTTP {exception.response.status}"
    return f"{shown}: {reason(exception)}"


def reason(exception: BaseException) -> str:
    for types, text in _REASONS:
        if isinstance(exception, types):
            return text
    if isinstance(exception, DownloadCancelledError):
        return f"download cancelled: {_short(exception)}"
    if isinstance(exception, IgnoreRequest):
        return _short(exception) or "request ignored"
    if isinstance(exception, DownloadFailedError):
        return f"download failed: {_short(exception)}"
    return f"{type(exception).__name__}: {_short(exception)}".rstrip(": ")


def _short(exception: BaseException) -> str:
    return " ".join(str(exception).split())[:300]
