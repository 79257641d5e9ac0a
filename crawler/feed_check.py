"""What the service would take from one feed: fetched as the crawler fetches it, read by crawler.feeds.

`python -m crawler.feed_check [--config PATH] URL_OR_FILE [--json]`, the child `kommunvakt feeds check` runs
(the crawler's modules stay out of the command's process, as for crawls). For an operator's look at a feed before adding it.  The fetch keeps the
crawler's rules (http and https only, no private addresses unless allowed, the feed size limit, the
download timeout, the crawler's User-Agent), every redirect included; it does not start a crawl.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import socket
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from crawler.feeds import Feed, FeedEntry, FeedError, is_http, parse_feed
from crawler.links import redact
from crawler.middlewares.addresses import non_public_kind, resolve
from crawler.settings import user_agent
from crawler.spiders.press import article_url
from monitor.config import Config, ConfigError, CrawlSettings, load_config

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
SHOWN_ZONE = ZoneInfo("Europe/Stockholm")


class FeedUnavailable(RuntimeError):
    """The feed could not be fetched or read; the message says why."""


@dataclass(frozen=True)
class CheckedEntry:
    title: str
    link: str  # the article URL the crawler would fetch (tracking parameters removed)
    published: datetime | None
    updated: datetime | None
    outlet: str  # the entry's <source>, else the feed's title, else the host (the page may name it better)
    followed: bool  # False: the link is not http(s) and the crawler would refuse it


@dataclass(frozen=True)
class FeedCheck:
    location: str  # the URL or file as given
    title: str
    kind: str
    irregularity: str | None
    entries: tuple[CheckedEntry, ...]

    @property
    def followed(self) -> tuple[CheckedEntry, ...]:
        return tuple(entry for entry in self.entries if entry.followed)


def check_feed(location: str, crawl: CrawlSettings) -> FeedCheck:
    """Fetch (or read) and parse the feed at `location`; raises FeedUnavailable with the reason."""
    if is_http(location):
        data, content_type = fetch_feed(location, crawl)
    else:
        data, content_type = read_feed_file(Path(location)), ""
    try:
        feed = parse_feed(data, location if is_http(location) else Path(location).resolve().as_uri(), content_type)
    except FeedError as exc:
        raise FeedUnavailable(f"{redact(location)}: {exc}") from None
    return FeedCheck(location, feed.title, feed.kind, feed.irregularity,
                     tuple(_checked(entry, feed) for entry in feed.entries))


def _checked(entry: FeedEntry, feed: Feed) -> CheckedEntry:
    followed = is_http(entry.link)
    outlet = entry.outlet or feed.title or urlsplit(entry.link).hostname or ""
    return CheckedEntry(entry.title, article_url(entry.link) if followed else entry.link, entry.published,
                        entry.updated, outlet, followed)


def read_feed_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FeedUnavailable(f"{path}: cannot read the file: {exc.strerror or exc}") from None


# --- over HTTP --------------------------------------------------------------------------------------


def fetch_feed(url: str, crawl: CrawlSettings) -> tuple[bytes, str]:
    """The feed's bytes and Content-Type, within the crawler's limits."""
    opener = urllib.request.build_opener(_CheckedRedirects(crawl.allow_private_addresses))
    request = urllib.request.Request(url, headers={"User-Agent": user_agent(crawl.contact)})
    refuse_private(url, crawl.allow_private_addresses)
    try:
        with opener.open(request, timeout=crawl.download_timeout_seconds) as response:
            data = response.read(crawl.max_feed_bytes + 1)
            content_type = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise FeedUnavailable(f"{redact(url)} returned HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        raise FeedUnavailable(f"{redact(url)}: {_reason(exc.reason)}") from None
    except (TimeoutError, OSError) as exc:
        raise FeedUnavailable(f"{redact(url)}: {_reason(exc)}") from None
    if len(data) > crawl.max_feed_bytes:
        raise FeedUnavailable(f"{redact(url)}: larger than crawl.max_feed_bytes ({crawl.max_feed_bytes} bytes): "
                              "not read")
    return data, content_type


def _reason(reason: object) -> str:
    if isinstance(reason, TimeoutError | socket.timeout):
        return "no answer within crawl.download_timeout_seconds"
    if isinstance(reason, socket.gaierror):
        return "the host name does not resolve"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    return str(reason) if not isinstance(reason, OSError) else (reason.strerror or str(reason))


def refuse_private(url: str, allow_private: bool) -> None:
    """FeedUnavailable for another scheme or, unless allowed, a host that resolves to a non-public address."""
    parts = urlsplit(url)
    if not is_http(url):
        raise FeedUnavailable(f"{redact(url)}: refused: only http and https are fetched")
    if allow_private or not parts.hostname:
        return
    for text in resolve(parts.hostname):
        kind = non_public_kind(ipaddress.ip_address(text.split("%", 1)[0]))
        if kind:
            what = f"is a {kind} address" if text == parts.hostname else f"resolves to a {kind} address ({text})"
            raise FeedUnavailable(f"{redact(url)}: refused: {parts.hostname} {what}; "
                                  "set [crawl] allow_private_addresses = true to allow it")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Every redirect target passes the same scheme and address checks as the first URL."""

    def __init__(self, allow_private: bool):
        super().__init__()
        self.allow_private = allow_private

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        refuse_private(newurl, self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def check(config: Config, args: argparse.Namespace) -> int:
    location = args.location
    if "://" in location and not location.lower().startswith(("http://", "https://")):
        return _usage(f"feeds check: only http and https URLs are fetched: {location!r}")
    if "://" not in location and not Path(location).is_file():
        return _usage(f"feeds check: {location!r} is neither an http(s) URL nor a file")
    try:
        checked = check_feed(location, config.crawl)
    except FeedUnavailable as exc:
        return _failed(str(exc), location, args.json)
    _show(checked, args.json)
    return EXIT_OK if checked.followed else EXIT_FAILED


def _usage(message: str) -> int:
    print(f"kommunvakt: {message}", file=sys.stderr)
    return EXIT_USAGE


def _failed(message: str, location: str, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"feed": location, "ok": False, "error": message}, ensure_ascii=False))
    print(f"kommunvakt: feed not usable: {message}", file=sys.stderr)
    return EXIT_FAILED


def _show(checked: FeedCheck, as_json: bool) -> None:
    if as_json:
        print(json.dumps(_as_json(checked), ensure_ascii=False, indent=2))
    else:
        print("\n".join(_lines(checked)))


def _as_json(checked: FeedCheck) -> dict[str, Any]:
    return {
        "feed": checked.location, "ok": bool(checked.followed), "title": checked.title, "format": checked.kind,
        "irregularity": checked.irregularity,
        "entries": [{"title": e.title, "link": e.link, "published": _iso(e.published), "updated": _iso(e.updated),
                     "outlet": e.outlet, "followed": e.followed} for e in checked.entries],
    }


def _lines(checked: FeedCheck) -> list[str]:
    lines = [f"{checked.title or '(untitled feed)'} ({checked.kind or 'unknown format'}): {checked.location}"]
    if checked.irregularity:
        lines.append(f"note: {checked.irregularity}")
    lines.append(f"{len(checked.followed)} of {len(checked.entries)} entries would be taken:")
    for entry in checked.entries:
        mark = "" if entry.followed else "  [refused: not an http(s) link]"
        lines.append(f"  {_shown(entry.published or entry.updated)}  {entry.outlet}  {entry.title or '(no title)'}{mark}")
        lines.append(f"      {entry.link}")
    if not checked.followed:
        lines.append("nothing to follow: the service would record this feed as failing")
    return lines


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _shown(moment: datetime | None) -> str:
    return moment.astimezone(SHOWN_ZONE).strftime("%Y-%m-%d %H:%M") if moment else "(no date)       "


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kommunvakt feeds check")
    parser.add_argument("--config")
    parser.add_argument("location", metavar="URL_OR_FILE")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"kommunvakt: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return check(config, args)


if __name__ == "__main__":
    sys.exit(main())
