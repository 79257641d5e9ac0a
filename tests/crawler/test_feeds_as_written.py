"""crawler.feeds on feeds written the way real CMSs write them, and hostile ones still refused first."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.feeds import FeedError, parse_feed

FEED_URL = "https://kommunnytt.example/nyheter/rss.xml"
MORNING = datetime(2025, 10, 28, 7, 0, tzinfo=UTC)


def rss(items: str, channel_title: str = "Kommunnytt") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{channel_title}</title>'
            f"{items}</channel></rss>").encode()


def test_a_stray_ampersand_does_not_cost_the_feed():
    data = rss("<item><title>Bygg & miljö: återvandring på agendan</title>"
               "<link>https://kommunnytt.example/a?id=1&typ=nyhet</link></item>", "Bygg & miljö")
    feed = parse_feed(data, FEED_URL)
    (entry,) = feed.entries
    assert entry.title == "Bygg & miljö: återvandring på agendan"
    assert entry.link == "https://kommunnytt.example/a?id=1&typ=nyhet"
    assert feed.title == "Bygg & miljö"
    assert feed.irregularity is not None and feed.irregularity.startswith("not well-formed XML, read leniently")


def test_html_entities_are_read_as_their_letters():
    data = rss("<item><title>&Aring;tervandring i Ume&aring; &ndash; svar fr&aring;n kommunen</title>"
               "<link>https://kommunnytt.example/umea</link></item>")
    (entry,) = parse_feed(data, FEED_URL).entries
    assert entry.title == "Återvandring i Umeå \u2013 svar från kommunen"


def test_an_item_whose_only_link_is_its_permalink_guid_is_kept():
    data = rss('<item><title>Beslut i fullmäktige</title><guid isPermaLink="true">https://kommunnytt.example/b</guid>'
               "<pubDate>Tue, 28 Oct 2025 08:00:00 +0100</pubDate></item>"
               '<item><title>Internt id</title><guid isPermaLink="false">intern-17</guid></item>')
    (entry,) = parse_feed(data, FEED_URL).entries  # an id that is no permalink gives no link
    assert entry.link == "https://kommunnytt.example/b" and entry.entry_id == "https://kommunnytt.example/b"
    assert entry.published == MORNING


def test_xml_base_resolves_relative_links():
    data = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://tidning.example/lokalt/">
      <title>Lokalt</title><entry><title>Nej till samordnaren</title><id>urn:x:1</id>
      <link rel="alternate" href="kiruna/nej.html"/><updated>2025-10-28T08:00:00+01:00</updated></entry></feed>"""
    (entry,) = parse_feed(data, FEED_URL).entries
    assert entry.link == "https://tidning.example/lokalt/kiruna/nej.html"  # not against the feed's own URL
    assert entry.published == MORNING and entry.updated == MORNING


def test_atom_0_3():
    data = b"""<?xml version="1.0" encoding="utf-8"?><feed version="0.3" xmlns="http://purl.org/atom/ns#">
      <title>Gamla bloggen</title><entry><title>Remigration i debatten</title>
      <link rel="alternate" type="text/html" href="https://blogg.example/remigration"/><id>tag:blogg,2025:1</id>
      <issued>2025-10-28T08:00:00+01:00</issued><modified>2025-10-28T10:00:00+01:00</modified>
      <summary>Kort om debatten.</summary></entry></feed>"""
    feed = parse_feed(data, FEED_URL)
    (entry,) = feed.entries
    assert feed.kind == "atom03" and feed.title == "Gamla bloggen"
    assert entry.link == "https://blogg.example/remigration" and entry.summary == "Kort om debatten."
    assert entry.published == MORNING and entry.updated == datetime(2025, 10, 28, 9, 0, tzinfo=UTC)


def test_rss_1_0_with_dublin_core_dates():
    data = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="https://kommun.example/"><title>Kommunens nyheter</title></channel>
      <item rdf:about="https://kommun.example/n/1"><title>Svar om samordnaren</title>
      <link>https://kommun.example/n/1</link><description>Kommunen svarar.</description>
      <dc:date>2025-10-28T08:00:00+01:00</dc:date></item></rdf:RDF>"""
    feed = parse_feed(data, FEED_URL)
    (entry,) = feed.entries
    assert feed.kind == "rss10" and feed.title == "Kommunens nyheter"
    assert entry.link == "https://kommun.example/n/1" and entry.published == MORNING


def test_latin1_without_an_encoding_declaration_or_charset():
    data = ('<rss version="2.0"><channel><title>Nyheter från Västerås</title><item>'
            "<title>Återvandring: kommunen säger nej</title><link>https://vasteras.example/n</link>"
            "</item></channel></rss>").encode("iso-8859-1")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    feed = parse_feed(data, FEED_URL, "application/rss+xml")
    assert feed.title == "Nyheter från Västerås"
    assert feed.entries[0].title == "Återvandring: kommunen säger nej"


def test_an_entity_bomb_in_a_feed_that_is_not_well_formed_is_still_refused():
    data = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b'<rss version="2.0"><channel><title>A & B</title><item><title>&b;</title>'
            b"<link>https://x.example/1</link></item></channel></rss>")
    with pytest.raises(FeedError, match="refused: the feed declares XML entities"):
        parse_feed(data, FEED_URL)


def test_an_entity_declared_after_a_fault_is_refused_by_its_text():
    data = (b"<?xml version='1.0'?>\n<!-- & -->\n<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"
            b"<rss version='2.0'><channel><title>&x;</title></channel></rss>")
    with pytest.raises(FeedError, match="refused: the feed declares XML entities"):
        parse_feed(data, FEED_URL)
