"""crawler.feeds: RSS and Atom, UTF-8 and Latin-1, and bad or hostile XML refused with a clear error."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.feeds import FeedError, parse_feed
from tests.support.newsroom import FIXTURES

BASE = "http://news.example.test"
PUBLISHED = datetime(2025, 10, 28, 7, 0, tzinfo=UTC)


def rendered(name: str) -> bytes:
    """A fixture feed with its placeholders filled in, byte for byte (Latin-1 stays Latin-1)."""
    data = (FIXTURES / "feeds" / name).read_bytes()
    values = {"BASE": BASE, "PUB1_RFC822": "Tue, 28 Oct 2025 08:00:00 +0100", "PUB1_ISO": "2025-10-28T08:00:00+01:00",
              "PUB2_RFC822": "Tue, 28 Oct 2025 09:00:00 +0100", "PUB2_ISO": "2025-10-28T09:00:00+01:00",
              "UPDATED_ISO": "2025-10-28T12:00:00+01:00"}
    for key, value in values.items():
        data = data.replace(b"{{" + key.encode() + b"}}", value.encode())
    return data


def test_rss_in_utf8():
    feed = parse_feed(rendered("svt-rss-utf8.xml"), f"{BASE}/feeds/svt.xml", "application/rss+xml")
    assert feed.title == "SVT Nyheter"
    assert len(feed.entries) == 4
    first, umea = feed.entries[0], feed.entries[1]
    assert first.link == f"{BASE}/svt/stockholm-says-no.html"
    assert first.entry_id == "svt-stockholm-says-no"
    assert first.published == PUBLISHED
    assert first.summary == "Stockholm is the latest in a series of municipalities to reject the government\u2019s invitation."
    assert umea.title == "Umeå och Skellefteå säger nej till regeringens samordnare"


def test_atom_in_latin1_with_relative_links_and_html_summaries():
    data = rendered("norr-atom-latin1.xml")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the fixture really is Latin-1
    feed = parse_feed(data, f"{BASE}/feeds/norr-atom-latin1.xml")
    assert feed.title == "Nyheter från Norr"
    vk, norran = feed.entries
    assert vk.title == "Umeå och Skellefteå säger nej till samordnaren"
    assert vk.link == f"{BASE}/vk/umea-och-skelleftea.html"  # relative href resolved against the feed
    assert vk.published == datetime(2025, 10, 28, 8, 0, tzinfo=UTC)
    assert vk.updated == datetime(2025, 10, 28, 11, 0, tzinfo=UTC)
    assert norran.summary == "Skellefteå och Umeå säger nej till regeringens samordnare."  # markup removed


def test_rss_in_latin1():
    feed = parse_feed(rendered("mitti-rss-latin1.xml"), f"{BASE}/feeds/mitti.xml")
    (entry,) = feed.entries
    assert entry.title == "Stockholm säger nej till regeringens samordnare för återvandring"
    assert entry.entry_id == f"{BASE}/mitti/stockholm-nej.html"


def test_http_charset_counts_when_the_xml_declares_none():
    data = "<rss><channel><title>Nyheter i Västerås</title><item><link>https://x.test/a</link></item></channel></rss>"
    feed = parse_feed(data.encode("iso-8859-1"), "https://x.test/feed", "application/xml; charset=ISO-8859-1")
    assert feed.title == "Nyheter i Västerås"


def test_news_search_entries_name_their_outlet():
    data = b"""<rss version="2.0"><channel><title>"\xc3\xa5tervandring" - Google Nyheter</title>
    <item><title>Kiruna tackar nej</title><link>https://news.google.com/rss/articles/abc?oc=5</link>
    <source url="https://www.svt.se">SVT Nyheter</source></item></channel></rss>"""
    (entry,) = parse_feed(data, "https://news.google.com/rss/search?q=x").entries
    assert entry.outlet == "SVT Nyheter"
    assert entry.published is None and entry.updated is None


def test_rdf_rss_1_0():
    data = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
      xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="x"><title>Kommunnytt</title></channel>
      <item rdf:about="https://x.test/1"><title>Ett</title><link>https://x.test/1</link>
      <dc:date>2025-10-28T08:00:00+01:00</dc:date></item></rdf:RDF>"""
    feed = parse_feed(data, "https://x.test/rdf")
    assert feed.title == "Kommunnytt"
    assert feed.entries[0].published == PUBLISHED


def test_a_feed_nothing_can_be_read_from_is_an_error_naming_the_problem():
    with pytest.raises(FeedError, match=r"malformed XML: unclosed token \(line 7\); no entry could be read"):
        parse_feed(rendered("broken.xml"), f"{BASE}/feeds/broken.xml")


def test_entity_expansion_is_refused_before_it_expands():
    with pytest.raises(FeedError, match="refused: the feed declares XML entities"):
        parse_feed(rendered("laughs.xml"), f"{BASE}/feeds/laughs.xml")


def test_external_entities_are_refused():
    data = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
    <rss><channel><title>&secret;</title></channel></rss>"""
    with pytest.raises(FeedError, match="refused"):
        parse_feed(data, "https://x.test/feed")


@pytest.mark.parametrize("data,message", [
    (b"", "empty response"),
    (b"<!DOCTYPE html><html><body>Sidan finns inte</body></html>", "not an RSS or Atom feed"),
    (b"<rss version='2.0'></rss>", "RSS feed without content: no channel and no entries"),
])
def test_what_is_not_a_feed_says_so(data, message):
    with pytest.raises(FeedError, match=message):
        parse_feed(data, "https://x.test/feed")


def test_entries_without_links_are_left_out_and_duplicates_kept_once():
    data = b"""<rss><channel><title>T</title><item><title>no link</title></item>
    <item><link>https://x.test/a</link></item><item><link>https://x.test/a</link></item></channel></rss>"""
    assert [e.link for e in parse_feed(data, "https://x.test/feed").entries] == ["https://x.test/a"]
