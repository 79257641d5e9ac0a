"""News feeds (RSS 2.0, RSS 1.0 and Atom) read safely into typed entries.

The XML goes through defusedxml: entity declarations (billion laughs, quadratic blow-up) and external
entities are refused, so a hostile feed is a :class:`FeedError` at once, never a hang or a file read.
The caller limits the size (the download's ``download_maxsize``), which bounds the parse time too.
Every problem with a feed is a :class:`FeedError` whose message says what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError

import lxml.html
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from lxml.etree import LxmlError, ParserError

from crawler.extraction.html import charset_from_content_type

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=", re.IGNORECASE)
_UTF8 = {"utf-8", "utf8"}
SUMMARY_LIMIT = 5000  # characters of an entry's summary kept


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
    outlet: str | None = None  # RSS <source> (news-search feeds name each entry's outlet there)


@dataclass(frozen=True)
class Feed:
    url: str
    title: str
    entries: tuple[FeedEntry, ...]


def parse_feed(data: bytes, url: str, content_type: str = "") -> Feed:
    """The feed in `data` (fetched from `url`); raises FeedError for bad XML, entities or a non-feed."""
    root = _parse_xml(_xml_bytes(data, charset_from_content_type(content_type)))
    reader = _READERS.get(root.tag)
    if reader is None:
        raise FeedError(f"not an RSS or Atom feed (the document is <{_local(root.tag)}>)")
    return reader(root, url)


# --- XML ------------------------------------------------------------------------------------------


def _xml_bytes(data: bytes, http_charset: str | None) -> bytes:
    """Bytes expat can read: without an XML encoding declaration, honour the HTTP charset."""
    if not data.strip():
        raise FeedError("empty response instead of a feed")
    if _XML_ENCODING.match(data) or not http_charset or http_charset.lower() in _UTF8:
        return data
    try:
        return data.decode(http_charset).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return data


def _parse_xml(data: bytes) -> Element:
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise FeedError(f"refused: the feed declares XML entities or external references ({exc})") from None
    except ParseError as exc:
        raise FeedError(f"malformed XML: {exc}") from None
    except (ValueError, LookupError) as exc:
        raise FeedError(f"unreadable XML: {exc}") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(element: Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


# --- RSS 2.0 and RSS 1.0 --------------------------------------------------------------------------


def _rss(root: Element, url: str) -> Feed:
    channel = root.find("channel")
    if channel is None:
        raise FeedError("RSS feed without a <channel>")
    entries = (_rss_item(item, url, "") for item in channel.iter("item"))
    return Feed(url, _text(channel.find("title")), _complete(entries))


def _rdf(root: Element, url: str) -> Feed:
    channel = root.find(f"{RSS1}channel")
    entries = (_rss_item(item, url, RSS1) for item in root.iter(f"{RSS1}item"))
    return Feed(url, _text(channel.find(f"{RSS1}title")) if channel is not None else "", _complete(entries))


def _rss_item(item: Element, feed_url: str, ns: str) -> FeedEntry:
    link = _absolute(_text(item.find(f"{ns}link")), feed_url)
    guid = _text(item.find("guid")) or item.get(f"{RDF}about", "")
    published = _date(_text(item.find("pubDate")) or _text(item.find(f"{DC}date")))
    summary = _text(item.find(f"{ns}description")) or _text(item.find(f"{CONTENT}encoded"))
    source = _text(item.find("source")) or None
    return FeedEntry(entry_id=guid or link, link=link, title=_plain(_text(item.find(f"{ns}title"))),
                     summary=_plain(summary), published=published, updated=published, outlet=source)


# --- Atom -----------------------------------------------------------------------------------------


def _atom(root: Element, url: str) -> Feed:
    entries = (_atom_entry(entry, url) for entry in root.iter(f"{ATOM}entry"))
    return Feed(url, _text(root.find(f"{ATOM}title")), _complete(entries))


def _atom_entry(entry: Element, feed_url: str) -> FeedEntry:
    link = _absolute(_atom_link(entry), feed_url)
    published = _date(_text(entry.find(f"{ATOM}published")))
    updated = _date(_text(entry.find(f"{ATOM}updated")))
    summary = _text(entry.find(f"{ATOM}summary")) or _text(entry.find(f"{ATOM}content"))
    source = _text(entry.find(f"{ATOM}source/{ATOM}title")) or None
    return FeedEntry(entry_id=_text(entry.find(f"{ATOM}id")) or link, link=link,
                     title=_plain(_text(entry.find(f"{ATOM}title"))), summary=_plain(summary),
                     published=published or updated, updated=updated or published, outlet=source)


def _atom_link(entry: Element) -> str:
    links = entry.findall(f"{ATOM}link")
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href", "").strip()
    return next((link.get("href", "").strip() for link in links if link.get("href")), "")


_READERS = {"rss": _rss, f"{RDF}RDF": _rdf, f"{ATOM}feed": _atom}


# --- values ---------------------------------------------------------------------------------------


def _complete(entries: Iterable[FeedEntry]) -> tuple[FeedEntry, ...]:
    """Entries that have a link, once each."""
    seen: dict[str, FeedEntry] = {}
    for entry in entries:
        if entry.link and entry.link not in seen:
            seen[entry.link] = entry
    return tuple(seen.values())


def _absolute(link: str, feed_url: str) -> str:
    return urljoin(feed_url, link) if link else ""


def _date(text: str) -> datetime | None:
    """RFC 822 (RSS) or ISO 8601 (Atom, Dublin Core) to aware UTC; None when it is neither."""
    if not text:
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _plain(text: str) -> str:
    """Feed text may carry (escaped) HTML: the text a reader sees, without markup."""
    if "<" not in text and "&" not in text:
        return text[:SUMMARY_LIMIT]
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
