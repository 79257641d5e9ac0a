"""Press articles: the page's text, headline, outlet and date (trafilatura), or the feed's summary.

`read_article` reads a fetched page; `article_item` decides what the stored document says: the page's
main text when it has enough, else the entry's summary, with the reason recorded in its ArticleInfo
(`text_from = feed_summary`, `page_problem`).  `summary_item` is that fallback when the page could not
be fetched at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import trafilatura

from crawler.extraction.extractor import Extraction, PdfLimits, extract_document
from crawler.extraction.html import charset_from_content_type, decode_html
from crawler.feeds import PressEntry
from crawler.items import DocumentItem, LinkInfo
from monitor.analysis.normalise import clean_text
from monitor.domain import ArticleInfo, TextSource

MIN_ARTICLE_CHARS = 200  # less main text than this (and less than the summary) is not the article
FEED_SUMMARY_EXTRACTOR = "feed-summary"
NEWSROOM_ZONE = ZoneInfo("Europe/Stockholm")  # the day a Swedish article was published

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageMetadata:
    headline: str = ""
    sitename: str = ""  # '' when the page names no site (trafilatura then gives the host)
    published_on: date | None = None


@dataclass(frozen=True)
class ArticlePage:
    extraction: Extraction
    metadata: PageMetadata


def read_article(body: bytes, url: str, content_type: str, limits: PdfLimits) -> ArticlePage:
    """The page's main text (crawler.extraction.extractor, trafilatura for HTML) and its metadata."""
    extraction = extract_document(body, url, content_type, limits)
    return ArticlePage(extraction, page_metadata(body, url, content_type))


def page_metadata(body: bytes, url: str, content_type: str) -> PageMetadata:
    if b"<" not in body[:4096]:
        return PageMetadata()
    try:
        found = trafilatura.extract_metadata(decode_html(body, charset_from_content_type(content_type)),
                                             default_url=url)
    except Exception as exc:  # noqa: BLE001 - metadata is a nicety; hostile markup must not cost the text
        log.debug("no metadata from %s: %s", url, exc)
        return PageMetadata()
    host = urlsplit(url).netloc
    sitename = (found.sitename or "").strip()
    return PageMetadata(headline=(found.title or "").strip(), sitename="" if sitename == host else sitename,
                        published_on=_iso_day(found.date))


def _iso_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def published_on(moment: datetime | None) -> date | None:
    return moment.astimezone(NEWSROOM_ZONE).date() if moment else None


def outlet_of(press: PressEntry, metadata: PageMetadata, url: str) -> str:
    """Who published it: the entry's <source>, the configured outlet, the page's site, the feed, the host."""
    candidates = (press.entry.outlet, press.outlet, metadata.sitename, press.feed_title, urlsplit(url).hostname)
    return next((c.strip() for c in candidates if c and c.strip()), "")


def page_problem(extraction: Extraction, summary: str) -> str | None:
    """Why the page's text is not used, or None when it is the article."""
    if not extraction.ok:
        return f"the page could not be read: {extraction.error}"
    length = len(extraction.text.strip())
    if length < MIN_ARTICLE_CHARS and length <= len(summary):
        return f"the page had too little text ({length} characters)"
    return None


def article_item(item: DocumentItem, page: ArticlePage) -> DocumentItem:
    """The item with its text, headline, outlet, date and feed entry decided."""
    press = item.press
    assert press is not None, "article_item is for press items"
    problem = page_problem(page.extraction, press.entry.summary)
    extraction = page.extraction if problem is None else summary_extraction(press.entry.summary, problem)
    return _decided(item, press, extraction, page.metadata, problem)


def _decided(item: DocumentItem, press: PressEntry, extraction: Extraction, metadata: PageMetadata,
             problem: str | None) -> DocumentItem:
    title = press.entry.title or metadata.headline
    day = published_on(press.entry.published) or metadata.published_on
    return replace(item, extraction=extraction, outlet=outlet_of(press, metadata, item.url),
                   link=LinkInfo(title, day, press.feed_url), article=article_info(press, problem))


def summary_extraction(summary: str, problem: str) -> Extraction:
    text = clean_text(summary)
    return Extraction(text=text, title="", pages=(), published_on=None, extractor=FEED_SUMMARY_EXTRACTOR,
                      error=None if text.strip() else f"{problem}; and the feed entry has no summary")


def article_info(press: PressEntry, problem: str | None) -> ArticleInfo:
    return ArticleInfo(feed_url=press.feed_url, entry_id=press.entry.entry_id,
                       text_from=TextSource.PAGE if problem is None else TextSource.FEED_SUMMARY,
                       page_problem=problem, summary=press.entry.summary, entry_updated=press.entry.updated)


def summary_item(source_key: str, url: str, press: PressEntry, problem: str) -> DocumentItem:
    """A document from the feed entry alone: its page could not be fetched."""
    body = press.entry.summary.encode("utf-8")
    item = DocumentItem(source_key=source_key, url=url, body=body, content_type="text/plain; charset=utf-8",
                        fetched_at=datetime.now(UTC), press=press)
    return _decided(item, press, summary_extraction(press.entry.summary, problem), PageMetadata(), problem)
