"""News feeds (RSS 0.9x/2.0, RSS 1.0, Atom 0.3/1.0) read into typed entries, leniently and safely.

Two steps.  First a gate: the bytes go through defusedxml, so a feed that declares XML entities (billion
laughs, quadratic blow-up) or external entities is a :class:`FeedError` before anything reads it; a
declaration the gate cannot parse its way to is refused by its text.  Then feedparser reads the feed the
way real feeds are written: a stray ``&``, HTML entities such as ``&aring;``, an item whose only link is
its ``<guid>``, ``xml:base``, Latin-1 without a declaration.  What is not well-formed is read by
feedparser's lenient parser and said in :attr:`Feed.irregularity`; a feed from which nothing can be read
is a :class:`FeedError` whose message says what is wrong.  The caller limits the size (the download's
``download_maxsize``), which bounds the parse time too.
"""

from __future__ import annotations

import calendar
import io
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import ParseError
from xml.sax import SAXParseException

import feedparser
import lxml.html
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from feedparser.exceptions import ThingsNobodyCaresAboutButMe
from lxml.etree import LxmlError, ParserError

SUMMARY_LIMIT = 5000  # characters of an entry's summary kept
_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z][\w:.-]*)")
_PROLOG = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.DOTALL | re.IGNORECASE)
_KINDS = {"rss": "RSS", "atom": "Atom", "cdf": "CDF"}


class FeedError(ValueError):
    """The bytes are not a usable feed; the message says why."""


@dataclass(frozen=True)
class FeedEntry:
    entry_id: str  # guid / id, else the link
    link: str  # absolute; may be any scheme (the spider follows http(s) only)
    title: str
    summary: str  # plain text
    published: datetime | None  # aware UTC
    updated: datetime | None  # aware UTC; the published time when the feed gives no other
    outlet: str | None = None  # RSS <source> / Atom <source><title> (news-search feeds name each entry's outlet)


@dataclass(frozen=True)
class Feed:
    url: str
    title: str
    entries: tuple[FeedEntry, ...]
    kind: str = ""  # feedparser's name for the format: rss20, rss10, atom10, atom03, ...
    irregularity: str | None = None  # what was not well-formed, when the feed was read leniently


def parse_feed(data: bytes, url: str, content_type: str = "") -> Feed:
    """The feed in `data` (fetched from `url`); raises FeedError for entities, a non-feed or an unreadable one."""
    if not data.strip():
        raise FeedError("empty response instead of a feed")
    refuse_declarations(data)
    parsed = feedparser.parse(io.BytesIO(data), response_headers=_headers(url, content_type))
    entries = _complete(_entry(entry, url) for entry in parsed.entries)
    problem = _problem(parsed)
    _check_readable(data, parsed, entries, problem)
    irregularity = f"not well-formed XML, read leniently: {problem}" if problem else None
    return Feed(url, _plain(parsed.feed.get("title", "")), entries, parsed.get("version", ""), irregularity)


# --- the gate -------------------------------------------------------------------------------------


def refuse_declarations(data: bytes) -> None:
    """FeedError when the feed declares entities or references external ones; nothing is expanded."""
    try:
        fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise FeedError(f"refused: the feed declares XML entities or external references ({exc})") from None
    except (ParseError, ValueError, LookupError):  # not well-formed: read leniently if it declares nothing
        if _DECLARATION.search(data):
            raise FeedError("refused: the feed declares XML entities (found <!ENTITY in a feed that is not "
                            "well-formed)") from None


# --- reading --------------------------------------------------------------------------------------


def _headers(url: str, content_type: str) -> dict[str, str]:
    """What feedparser needs from the response: the base for relative links and the declared charset."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    return headers


def _problem(parsed: Any) -> str | None:
    """What the strict parser found wrong ('mismatched tag (line 8)'); None for a well-formed feed."""
    problem = parsed.get("bozo_exception")
    if not parsed.get("bozo") or problem is None or isinstance(problem, ThingsNobodyCaresAboutButMe):
        return None
    if isinstance(problem, SAXParseException):
        return f"{problem.getMessage()} (line {problem.getLineNumber()})"
    return f"{type(problem).__name__}: {problem}"


def _check_readable(data: bytes, parsed: Any, entries: tuple[FeedEntry, ...], problem: str | None) -> None:
    version = parsed.get("version", "")
    if not version and not entries:
        raise FeedError(f"not an RSS or Atom feed (the document is <{_first_element(data)}>)")
    if problem and not entries:
        raise FeedError(f"malformed XML: {problem}; no entry could be read")
    if not entries and not parsed.feed:
        raise FeedError(f"{_kind(version)} feed without content: no channel and no entries")


def _first_element(data: bytes) -> str:
    match = _FIRST_ELEMENT.search(_PROLOG.sub(b"", data[:4096]))
    return match[1].decode("ascii", "replace").lower() if match else "?"


def _kind(version: str) -> str:
    return next((shown for prefix, shown in _KINDS.items() if version.startswith(prefix)), version or "?")


def _entry(entry: Any, feed_url: str) -> FeedEntry:
    link = _absolute(entry.get("link", ""), feed_url)
    published = _moment(entry.get("published_parsed")) or _moment(entry.get("created_parsed"))
    updated = _moment(dict.get(entry, "updated_parsed"))
    return FeedEntry(entry_id=entry.get("id") or link, link=link, title=_plain(entry.get("title", "")),
                     summary=_plain(_summary(entry)), published=published or updated,
                     updated=updated or published, outlet=_outlet(entry))


def _summary(entry: Any) -> str:
    if entry.get("summary"):
        return entry["summary"]
    return next((part.get("value", "") for part in entry.get("content", ()) if part.get("value")), "")


def _outlet(entry: Any) -> str | None:
    source = entry.get("source") or {}
    return " ".join(str(source.get("title", "")).split()) or None


# --- values ---------------------------------------------------------------------------------------


def _complete(entries: Iterable[FeedEntry]) -> tuple[FeedEntry, ...]:
    """Entries that have a link, once each."""
    seen: dict[str, FeedEntry] = {}
    for entry in entries:
        if entry.link and entry.link not in seen:
            seen[entry.link] = entry
    return tuple(seen.values())


def _absolute(link: str, feed_url: str) -> str:
    return urljoin(feed_url, link.strip()) if link and link.strip() else ""


def _moment(parsed: time.struct_time | None) -> datetime | None:
    """feedparser's UTC struct_time as an aware datetime."""
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _plain(text: str) -> str:
    """Feed text may carry (escaped) HTML: the text a reader sees, without markup."""
    if "<" not in text and "&" not in text:
        return " ".join(text.split())[:SUMMARY_LIMIT]
    try:
        plain = lxml.html.fromstring(f"<div>{text}</div>").text_content()
    except (ParserError, LxmlError, ValueError):
        plain = text
    return " ".join(plain.split())[:SUMMARY_LIMIT]


def is_http(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("http", "https")


@dataclass(frozen=True)
class PressEntry:
    """A feed entry on its way to becoming a press document (carried by crawler.items.DocumentItem)."""

    feed_url: str
    feed_title: str
    entry: FeedEntry
    outlet: str | None = None  # the source's configured outlet, for single-outlet feeds
