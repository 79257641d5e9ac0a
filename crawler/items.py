"""What the spider hands to the item pipelines, and how it becomes a FetchedDocument for storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from crawler.dates import date_from_http
from crawler.extraction.extractor import Extraction
from crawler.feeds import PressEntry
from crawler.links import filename_title
from monitor.domain import ArticleInfo, FetchedDocument
from storage.rawstore import sha256


@dataclass(frozen=True)
class LinkInfo:
    """What the page that linked a document said about it."""

    title: str = ""  # the link text, '' when generic ("Ladda ner")
    published_on: date | None = None  # a date in the link text, file name or URL
    found_on: str = ""  # the page the link was on


@dataclass(frozen=True)
class DocumentItem:
    source_key: str
    url: str  # the URL as linked (before redirects): the document's identity
    body: bytes = field(repr=False)
    content_type: str
    fetched_at: datetime
    link: LinkInfo = LinkInfo()
    expect_pdf: bool = False  # the URL promised a PDF
    is_page: bool = False  # an HTML page kept only if it reads like a protocol with enough text
    etag: str | None = None
    last_modified: str | None = None
    extraction: Extraction | None = field(default=None, repr=False)  # set by ExtractTextPipeline
    content_hash: str = ""  # set by StoreRawPipeline
    press: PressEntry | None = field(default=None, repr=False)  # press: the feed entry (crawler.articles)
    outlet: str | None = None  # press: set by ReadArticlePipeline
    article: ArticleInfo | None = None  # press: set by ReadArticlePipeline


def document_title(item: DocumentItem) -> str:
    """The link text, else the document's own title, else the file name."""
    extracted = item.extraction.title if item.extraction else ""
    return item.link.title or extracted or filename_title(item.url)


def published_on(item: DocumentItem) -> date | None:
    """A date from the link (text, file name, URL), else the PDF's metadata, else Last-Modified."""
    extracted = item.extraction.published_on if item.extraction else None
    return item.link.published_on or extracted or date_from_http(item.last_modified)


def fetched_document(item: DocumentItem) -> FetchedDocument:
    extraction = item.extraction
    assert extraction is not None, "ExtractTextPipeline must run before storing"
    return FetchedDocument(
        source_key=item.source_key, url=item.url, fetched_at=item.fetched_at,
        content_type=item.content_type, content_hash=item.content_hash or sha256(item.body), raw=item.body,
        text=extraction.text, text_hash=sha256(extraction.text.encode("utf-8")) if extraction.text else "",
        title=document_title(item), published_on=published_on(item), extractor=extraction.extractor,
        pages=extraction.pages, error=extraction.error, etag=item.etag, last_modified=item.last_modified,
        read_state=extraction.state, outlet=item.outlet, article=item.article,
    )
