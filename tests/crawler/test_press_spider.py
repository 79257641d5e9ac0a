"""The press crawl as the service runs it: `python -m crawler.run` for a press source, on loopback."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest

from monitor.domain import TextSource
from storage import press_articles as stories
from storage import repository as repo
from tests.support.newsroom import LATIN1_PAGE, MISSING_PAGE, SEED_PAGE, UMEA_COPIES, page_html
from tests.support.press import PressHarness, PressSource, child_env, yesterday_morning


@pytest.fixture
def harness(tmp_path, newsroom):
    room, _server = newsroom
    crawl = PressHarness(tmp_path, f"sqlite:///{tmp_path / 'kommunvakt.db'}", [
        PressSource("press-svt", [room.feed_url("svt-rss-utf8.xml")], "SVT Nyheter"),
        PressSource("press-norr", [room.feed_url("norr-atom-latin1.xml")]),
        PressSource("press-mixed", [room.feed_url("mitti-rss-latin1.xml"), room.feed_url("broken.xml"),
                                    room.feed_url("laughs.xml")]),
    ])
    yield crawl
    crawl.close()


def stored_articles(harness: PressHarness) -> dict[str, stories.ArticleRecord]:
    with harness.database.transaction() as session:
        return {a.url: a for a in stories.articles(session)}


def test_articles_are_stored_with_text_outlet_date_and_where_the_text_came_from(harness, newsroom):
    room, server = newsroom
    svt, norr = harness.crawl("press-svt"), harness.crawl("press-norr")
    assert svt.exit_code == 0 and norr.exit_code == 0, svt.summary["errors"] + norr.summary["errors"]
    articles = stored_articles(harness)
    umea = room.url(UMEA_COPIES[0])  # linked with ?utm_source=rss#kommentarer: stored without either
    assert set(articles) == {room.url(p) for p in (SEED_PAGE, MISSING_PAGE, "/svt/ny-bro-lulea.html", *UMEA_COPIES)}
    assert articles[umea].outlet == "SVT Nyheter" and articles[umea].text_from is TextSource.PAGE
    assert articles[room.url(LATIN1_PAGE)].outlet == "Västerbottens-Kuriren"
    assert articles[room.url("/norran/tackar-nej.html")].outlet == "Norran"

    missing = articles[room.url(MISSING_PAGE)]
    assert missing.text_from is TextSource.FEED_SUMMARY and "returned HTTP 404" in (missing.page_problem or "")
    assert any("borttagen-artikel.html returned HTTP 404; kept the feed's summary" in w for w in svt.warnings)

    with harness.database.transaction() as session:
        documents = {d.url: d for d in repo.pending_documents(session, limit=100)}
    vk = documents[room.url(LATIN1_PAGE)]
    assert "Umeå kommun tackar nej till inbjudan" in vk.text and "Mest läst" not in vk.text
    assert vk.published_on == yesterday_morning().date() and vk.source_kind.value == "press"
    assert "Den nya sporthallen i Haparanda" in documents[room.url(MISSING_PAGE)].text
    seed = documents[room.url(SEED_PAGE)]
    assert "Jokkmokk, Boden, Kiruna, Gällivare" in seed.text and seed.title.startswith("Stockholm says no")


def test_known_entries_are_not_fetched_again_but_updated_ones_are(harness, newsroom):
    room, server = newsroom
    assert harness.crawl("press-norr").exit_code == 0
    again = harness.crawl("press-norr")
    assert again.exit_code == 0 and again.summary["documents_seen"] == 2 and again.summary["documents_new"] == 0
    assert all(server.requests(path) == 1 for path in UMEA_COPIES[1:])

    updated_text = page_html("Västerbottens-Kuriren", "Umeå och Skellefteå säger nej", [
        "Umeå kommun tackar nej till inbjudan från regeringens nationella samordnare för återvandring.",
        "Uppdaterad: Även Vindelns kommun tackar nej till inbjudan om ett möte om återvandring.",
    ], "2025-10-28T12:00:00+01:00")
    room.write_page(LATIN1_PAGE, updated_text)
    server.set_headers(LATIN1_PAGE, {"Content-Type": "text/html; charset=utf-8"})
    room.render_feeds(yesterday_morning(), updated=yesterday_morning() + timedelta(hours=5))
    third = harness.crawl("press-norr")
    assert third.exit_code == 0, third.summary
    assert server.requests(LATIN1_PAGE) == 2 and server.requests("/norran/tackar-nej.html") == 1
    (progress,) = third.progress
    assert progress["url"] == room.url(LATIN1_PAGE) and progress["stored"] == "changed"


def test_a_malformed_or_hostile_feed_is_an_error_for_that_feed_and_the_others_carry_on(harness, newsroom):
    room, _server = newsroom
    result = harness.crawl("press-mixed")
    assert result.exit_code == 1
    errors = result.summary["errors"]
    assert len(errors) == 2
    assert errors[0].startswith(room.feed_url("broken.xml") + ": malformed XML: unclosed token (line 7); no entry could be read")
    assert errors[1].startswith(room.feed_url("laughs.xml") + ": refused: the feed declares XML entities")
    assert set(stored_articles(harness)) == {room.url("/mitti/stockholm-nej.html")}  # the good feed's article
    with harness.database.transaction() as session:
        state = repo.source_state(session, "press-mixed")
    assert state.last_outcome == "failed" and "broken.xml" in state.last_error and "laughs.xml" in state.last_error


def test_a_feed_over_the_size_limit_is_refused(tmp_path, newsroom):
    room, _server = newsroom
    harness = PressHarness(tmp_path, f"sqlite:///{tmp_path / 'small.db'}",
                           [PressSource("press-svt", [room.feed_url("svt-rss-utf8.xml")])], {"max_feed_bytes": 512})
    try:
        result = harness.crawl("press-svt")
    finally:
        harness.close()
    assert result.exit_code == 1
    (error,) = result.summary["errors"]
    assert error.startswith(room.feed_url("svt-rss-utf8.xml")) and "512" in error
    assert stored_articles(harness) == {}


def test_entries_linking_to_loopback_or_private_addresses_are_refused(tmp_path, newsroom):
    """The feed is on a public-looking host (reached through a proxy on loopback, as a newsroom's egress
    proxy would be); its entries link to 127.0.0.1, 10.x and file://.  Private addresses are not allowed."""
    room, server = newsroom
    feed = "http://feeds.example.test/feeds/private-rss.xml"
    harness = PressHarness(tmp_path, f"sqlite:///{tmp_path / 'private.db'}", [PressSource("press-lokal", [feed])],
                           {"allow_private_addresses": False},
                           env=child_env(http_proxy=server.url("").rstrip("/")))
    try:
        result = harness.crawl("press-lokal")
    finally:
        harness.close()
    assert server.requests("/feeds/private-rss.xml") == 1  # the feed itself came through
    assert server.requests("/svt/ny-bro-lulea.html") == 0  # the loopback entry was never fetched
    warnings = " | ".join(result.warnings)
    assert f"{room.url('/svt/ny-bro-lulea.html')}: refused: 127.0.0.1 is a loopback address" in warnings
    assert "http://10.20.30.40/intranat/artikel.html: refused: 10.20.30.40 is a private address" in warnings
    assert "file://etc/passwd is not http or https" in warnings  # feedparser folds the empty authority
    articles = stored_articles(harness)
    assert set(articles) == {room.url("/svt/ny-bro-lulea.html"), "http://10.20.30.40/intranat/artikel.html"}
    assert all(a.text_from is TextSource.FEED_SUMMARY and "refused" in (a.page_problem or "")
               for a in articles.values())


def test_an_article_in_two_sources_feeds_is_fetched_once(tmp_path, newsroom):
    room, server = newsroom
    room.write_page("/feeds/again.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Luleå idag</title>
<item><title>Bron invigs</title><link>{room.url("/svt/ny-bro-lulea.html")}</link></item>
</channel></rss>""")
    harness = PressHarness(tmp_path, f"sqlite:///{tmp_path / 'twice.db'}", [
        PressSource("press-svt", [room.feed_url("svt-rss-utf8.xml")]),
        PressSource("press-lulea", [room.feed_url("again.xml")])])
    try:
        assert harness.crawl("press-svt").exit_code == 0
        lulea = harness.crawl("press-lulea")
    finally:
        harness.close()
    assert lulea.exit_code == 0, lulea.summary
    assert lulea.summary["documents_seen"] == 1 and lulea.summary["documents_new"] == 0
    assert server.requests("/svt/ny-bro-lulea.html") == 1


def test_a_feed_that_never_answers_times_out(tmp_path):
    """A server that accepts the connection and then says nothing: the download time limit ends it."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        feed = f"http://127.0.0.1:{silent.getsockname()[1]}/feed.xml"
        harness = PressHarness(tmp_path, f"sqlite:///{tmp_path / 'silent.db'}", [PressSource("press-tyst", [feed])],
                               {"download_timeout_seconds": 1})
        try:
            result = harness.crawl("press-tyst")
        finally:
            harness.close()
    assert result.exit_code == 1
    assert result.summary["errors"] == [f"{feed}: timed out"]


def test_a_feed_without_followable_entries_says_so(tmp_path, newsroom):
    room, _server = newsroom
    room.write_page("/feeds/ftp.xml", """<rss version="2.0"><channel><title>Arkiv</title>
<item><title>Gammalt</title><link>ftp://arkiv.example.test/a.txt</link></item></channel></rss>""")
    harness = PressHarness(tmp_path, f"sqlite:///{tmp_path / 'ftp.db'}",
                           [PressSource("press-arkiv", [room.feed_url("ftp.xml")])])
    try:
        result = harness.crawl("press-arkiv")
    finally:
        harness.close()
    assert result.summary["errors"] == [f"{room.feed_url('ftp.xml')}: the feed has no entries with an http(s) link"]
