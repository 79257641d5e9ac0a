"""`[site]` in the config: the folder (default under the data directory) and the public address for feeds."""

from __future__ import annotations

import feedparser
import pytest

from monitor.app.service import open_service
from monitor.app.site.publish import publish
from monitor.config import ConfigError, load_config
from tests.support.readers_site import NOW, record_handful, write_config


def test_the_site_folder_defaults_to_the_data_directory_and_can_move(tmp_path):
    assert load_config(write_config(tmp_path)).site_dir == tmp_path / "data" / "site"
    moved = load_config(write_config(tmp_path, extra='\n[site]\ndir = "public/kv"\n'))
    assert moved.site_dir == tmp_path / "public" / "kv"


def test_a_bad_site_table_is_a_clear_config_error(tmp_path):
    path = write_config(tmp_path, extra='\n[site]\nbase_url = "example.org"\nfolder = "x"\n')
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert "site.base_url: must start with http:// or https://" in str(error.value)
    assert "site.folder: unknown key" in str(error.value)


def test_with_a_public_address_the_feeds_link_absolutely(tmp_path):
    config = load_config(write_config(tmp_path, extra='\n[site]\nbase_url = "https://kv.example.org/sajt"\n'))
    service = open_service(config)
    try:
        record_handful(service)
        publish(service, now=NOW)
    finally:
        service.close()
    feed = feedparser.parse((config.site_dir / "feeds/county-06.atom").read_bytes())
    assert not feed.bozo
    assert feed.feed.id == "https://kv.example.org/sajt/feeds/county-06.atom"
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [feed.feed.id]
    assert feed.entries[0].link == "https://kv.example.org/sajt/municipalities/0665.html"
