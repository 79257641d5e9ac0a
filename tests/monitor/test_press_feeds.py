"""Press sources in the config, and the shipped default feeds (monitor/data/press_feeds.toml)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from monitor.app.schedule import interval_of
from monitor.config import ConfigError, load_config
from monitor.domain import SourceKind
from monitor.press_feeds import load_press_feeds

README = Path(__file__).parents[2] / "README.md"
FEEDS_FILE = Path(__file__).parents[2] / "monitor" / "data" / "press_feeds.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kommunvakt.toml"
    path.write_text(text, encoding="utf-8")
    return path


def press_sources(config) -> list:
    return [s for s in config.sources if s.kind is SourceKind.PRESS]


def test_press_source_with_feeds_outlet_and_schedule(tmp_path):
    config = load_config(write(tmp_path, """[crawl]
default_sources = false
[[sources]]
name = "press-ekot"
kind = "press"
feed_urls = ["https://api.sr.se/api/rss/program/83", "https://www.svt.se/nyheter/rss.xml"]
outlet = "Sveriges Radio Ekot"
every = "30m"
"""), environ={})
    (source,) = config.sources
    assert source.kind is SourceKind.PRESS and source.municipality_code is None
    assert source.feed_urls == ("https://api.sr.se/api/rss/program/83", "https://www.svt.se/nyheter/rss.xml")
    assert source.outlet == "Sveriges Radio Ekot"
    assert interval_of(source) == 1800


def test_press_source_problems_are_reported_together(tmp_path):
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, """[crawl]
default_sources = false
max_feed_bytes = 0
[[sources]]
kind = "press"
[[sources]]
kind = "press"
feed_urls = ["file:///etc/passwd"]
outlet = 7
"""), environ={})
    text = str(error.value)
    assert "sources[0].feed_urls: a press source needs at least one feed URL" in text
    assert "sources[1].feed_urls: not an http(s) URL: 'file:///etc/passwd'" in text
    assert "sources[1].outlet: must be a string" in text
    assert "crawl.max_feed_bytes: must be at least 1" in text


def test_a_fresh_install_watches_the_shipped_press_feeds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    press = press_sources(load_config(None, environ={}))
    feeds = load_press_feeds()
    assert len(press) == len(feeds) >= 10
    assert all(s.enabled and s.key.startswith("press-") and len(s.feed_urls) == 1 for s in press)
    assert all(interval_of(s) == 3600 for s in press)  # hourly


def test_shipped_feeds_are_well_formed():
    feeds = load_press_feeds()
    assert len({f.key for f in feeds}) == len(feeds)
    assert len({f.url for f in feeds}) == len(feeds)
    assert all(urlsplit(f.url).scheme == "https" and urlsplit(f.url).hostname for f in feeds)
    hosts = {urlsplit(f.url).hostname for f in feeds}
    assert {"www.svt.se", "api.sr.se", "www.dn.se", "www.svd.se", "www.gp.se", "www.sydsvenskan.se"} <= hosts
    searches = [f for f in feeds if f.region == "search"]
    assert searches and all(f.outlet is None and "%C3%A5tervandring" in f.url for f in searches)
    assert all(f.outlet for f in feeds if f.region != "search")


def test_shipped_feeds_are_documented_and_marked_unverified():
    readme = README.read_text(encoding="utf-8")
    section = readme.split("## Press sources", 1)[1].split("\n## ", 1)[0]
    assert "not verified from the development machine" in section.lower()
    assert "not verified from the development machine" in FEEDS_FILE.read_text(encoding="utf-8").lower()
    for feed in load_press_feeds():
        assert feed.url in section, f"{feed.key} is not in the README's press section"


@pytest.mark.parametrize("crawl", ["default_sources = false", "default_press_feeds = false"])
def test_shipped_feeds_can_be_turned_off(tmp_path, crawl):
    config = load_config(write(tmp_path, f"[crawl]\n{crawl}\n"), environ={})
    assert press_sources(config) == []


def test_a_configured_feed_replaces_the_shipped_one(tmp_path):
    svt = "https://www.svt.se/nyheter/rss.xml"
    config = load_config(write(tmp_path, f"""[[sources]]
name = "svt"
kind = "press"
feed_urls = ["{svt}"]
every = "15m"
"""), environ={})
    with_svt = [s for s in press_sources(config) if svt in s.feed_urls]
    assert [s.key for s in with_svt] == ["svt"]
    assert len(press_sources(config)) == len(load_press_feeds())  # the rest of the shipped feeds stay
