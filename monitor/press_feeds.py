"""The shipped list of press feeds (monitor/data/press_feeds.toml) as default press sources."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from monitor.domain import SourceConfig, SourceKind

KEY_PREFIX = "press-"


@dataclass(frozen=True)
class PressFeed:
    key: str
    url: str
    outlet: str | None = None  # None for search feeds: each entry names its outlet
    region: str = ""
    note: str = ""


def load_press_feeds() -> tuple[PressFeed, ...]:
    data = resources.files("monitor") / "data" / "press_feeds.toml"
    entries = tomllib.loads(data.read_text(encoding="utf-8")).get("feeds", [])
    return tuple(PressFeed(e["key"], e["url"], e.get("outlet"), e.get("region", ""), e.get("note", ""))
                 for e in entries)


def default_press_sources(configured: Iterable[SourceConfig]) -> list[SourceConfig]:
    """A press source per shipped feed, except feeds (by name or URL) the config already lists."""
    configured = list(configured)
    keys = {s.key for s in configured}
    urls = {url for s in configured for url in s.feed_urls}
    return [SourceConfig(key=KEY_PREFIX + feed.key, kind=SourceKind.PRESS, municipality_code=None,
                         feed_urls=(feed.url,), outlet=feed.outlet)
            for feed in load_press_feeds()
            if KEY_PREFIX + feed.key not in keys and feed.url not in urls]
