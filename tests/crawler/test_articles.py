"""crawler.articles: text, headline, outlet and date from an article page, else the feed's summary."""

from __future__ import annotations

from datetime import UTC, date, datetime

from crawler.articles import FEED_SUMMARY_EXTRACTOR, article_item, outlet_of, page_metadata, read_article, summary_item
from crawler.extraction.extractor import PdfLimits
from crawler.feeds import FeedEntry, PressEntry
from crawler.items import DocumentItem, fetched_document
from monitor.domain import TextSource
from tests.support.newsroom import FIXTURES

URL = "http://news.test/vk/umea-och-skelleftea.html"
EVENING = datetime(2025, 10, 28, 23, 30, tzinfo=UTC)  # already the 29th in Stockholm (UTC+1)


def entry(title: str = "", summary: str = "Två kommuner tackar nej.", outlet: str | None = None,
          published: datetime | None = None) -> FeedEntry:
    return FeedEntry("id-1", URL, title, summary, published, published, outlet)


def press(feed_entry: FeedEntry, configured: str | None = None) -> PressEntry:
    return PressEntry("http://news.test/feed.xml", "Nyheter från Norr", feed_entry, configured)


def item_for(body: bytes, content_type: str, feed_entry: FeedEntry) -> DocumentItem:
    return DocumentItem(source_key="press-norr", url=URL, body=body, content_type=content_type,
                        fetched_at=datetime.now(UTC), press=press(feed_entry))


def test_latin1_page_gives_text_headline_outlet_and_date():
    body = (FIXTURES / "pages" / "vk" / "umea-och-skelleftea.html").read_bytes()
    page = read_article(body, URL, "text/html; charset=ISO-8859-1", PdfLimits())
    assert page.extraction.ok
    assert "Umeå kommun tackar nej till inbjudan" in page.extraction.text
    assert "Mest läst" not in page.extraction.text and "Ansvarig utgivare" not in page.extraction.text
    assert page.metadata.sitename == "Västerbottens-Kuriren"
    assert page.metadata.headline == "Umeå och Skellefteå säger nej till samordnaren"
    assert page.metadata.published_on == date(2025, 10, 28)

    item = article_item(item_for(body, "text/html; charset=ISO-8859-1", entry()), page)
    document = fetched_document(item)
    assert document.outlet == "Västerbottens-Kuriren"
    assert document.title == "Umeå och Skellefteå säger nej till samordnaren"  # the page's, as the entry has none
    assert document.published_on == date(2025, 10, 28)
    assert document.article is not None and document.article.text_from is TextSource.PAGE
    assert document.article.page_problem is None and document.article.summary == "Två kommuner tackar nej."


def test_feed_title_and_date_win_over_the_page():
    body = (FIXTURES / "pages" / "vk" / "umea-och-skelleftea.html").read_bytes()
    page = read_article(body, URL, "text/html", PdfLimits())
    document = fetched_document(article_item(item_for(body, "text/html", entry("Rubrik i flödet", published=EVENING)),
                                             page))
    assert document.title == "Rubrik i flödet"
    assert document.published_on == date(2025, 10, 29)  # the day in Stockholm


def test_page_without_an_article_falls_back_to_the_summary_and_says_why():
    body = b"<html><head><title>Logga in</title></head><body><p>Logga in for att lasa.</p></body></html>"
    summary = "Umeå kommun tackar nej till den nationella samordnarens inbjudan om ett möte om återvandring."
    page = read_article(body, URL, "text/html", PdfLimits())
    document = fetched_document(article_item(item_for(body, "text/html", entry(summary=summary)), page))
    assert document.text == summary
    assert document.extractor == FEED_SUMMARY_EXTRACTOR and document.error is None
    assert document.article is not None and document.article.text_from is TextSource.FEED_SUMMARY
    assert "too little text" in (document.article.page_problem or "")


def test_summary_item_when_the_page_could_not_be_fetched():
    item = summary_item("press-norr", URL, press(entry(summary="Kort sammanfattning.")), "the page could not be "
                        "fetched: http://news.test/x returned HTTP 404")
    document = fetched_document(item)
    assert document.text == "Kort sammanfattning." and document.content_type.startswith("text/plain")
    assert document.article is not None and "HTTP 404" in (document.article.page_problem or "")
    assert document.outlet == "Nyheter från Norr"  # nothing better known: the feed's title


def test_nothing_to_keep_is_a_document_error():
    item = summary_item("press-norr", URL, press(entry(summary="")), "the page could not be fetched")
    assert fetched_document(item).error == "the page could not be fetched; and the feed entry has no summary"


def test_outlet_order():
    bare = page_metadata(b"<html><body><p>x</p></body></html>", URL, "text/html")
    assert bare.sitename == ""  # trafilatura's fallback to the host is not a site name
    named = page_metadata(b'<html><head><meta property="og:site_name" content="Norran"></head></html>', URL, "")
    assert outlet_of(press(entry(outlet="SVT Nyheter"), "Google"), named, URL) == "SVT Nyheter"
    assert outlet_of(press(entry(), "Sveriges Radio Ekot"), named, URL) == "Sveriges Radio Ekot"
    assert outlet_of(press(entry()), named, URL) == "Norran"
    assert outlet_of(press(entry()), bare, URL) == "Nyheter från Norr"
    assert outlet_of(PressEntry("f", "", entry()), bare, URL) == "news.test"
