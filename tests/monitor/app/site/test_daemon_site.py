"""The daemon keeps the site current: a crawl that records a change leaves a rebuilt site with the new entry."""

from __future__ import annotations

import signal
from datetime import date

import feedparser
import pytest

from tests.support.config import write_daemon_config
from tests.support.daemon import crawl_runs, start_daemon, wait_for
from tests.support.httpserver import FixtureServer
from tests.support.seeds import VAGGERYD_SEED
from tests.support.sites import SiteVisionSite
from tests.support.smtp import SmtpSink

pytestmark = pytest.mark.slow


def feed_entries(site) -> list:
    feed = site / "feeds" / "changes.atom"
    return feedparser.parse(feed.read_bytes()).entries if feed.exists() else []


def test_a_recorded_change_rebuilds_the_site_with_its_feed_entry(tmp_path):
    fixture = SiteVisionSite(tmp_path / "municipality-site").build()
    with FixtureServer(fixture.root) as server, SmtpSink() as smtp:
        config = write_daemon_config(tmp_path, server.url("/"), smtp.url())
        site = tmp_path / "data" / "site"
        daemon = start_daemon(config)
        try:
            wait_for(lambda: crawl_runs(config) >= 1 and (site / "index.html").exists(),
                     what="the first crawl and the first build of the site")
            assert feed_entries(site) == []  # the first crawl is a silent baseline of old protocols
            first_build = site.resolve()
            fixture.publish_protocol(f"Protokoll kommunfullmäktige {date.today()}", date.today(),
                                     VAGGERYD_SEED.read_text(encoding="utf-8"))
            wait_for(lambda: len(feed_entries(site)) == 1, what="the rebuilt site's feed entry")
            daemon.send_signal(signal.SIGTERM)
            assert daemon.wait(timeout=30) == 0
        finally:
            if daemon.poll() is None:
                daemon.kill()
    entry = feed_entries(site)[0]
    assert entry.title.startswith("Vaggeryd: ")
    assert entry.link == "../municipalities/0665.html"
    assert site.resolve() != first_build and not first_build.exists()  # swapped in whole, the old one removed
    page = (site / "municipalities" / "0665.html").read_text(encoding="utf-8")
    assert entry.summary.split("«")[1].split("»")[0][:40] in page
