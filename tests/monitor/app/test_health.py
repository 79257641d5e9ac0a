"""Source health: one ops alert after N failures in a row, one when the source recovers."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli import kommunvakt, status_json
from tests.support.config import write_config as write_config_file
from tests.support.httpserver import FixtureServer
from tests.support.sites import SiteVisionSite
from tests.support.smtp import SmtpSink


def write_config(tmp_path: Path, start_url: str, mail_url: str) -> Path:
    return write_config_file(tmp_path, daemon={"failure_threshold": 3},
                             sources=[{"name": "kiruna-protocols", "municipality": "Kiruna", "start_urls": [start_url]}],
                             targets=[{"name": "ops", "url": mail_url, "events": ["source_health"],
                                       "counties": ["Norrbottens län"]}])


def test_failing_source_gives_one_alert_and_one_recovery(tmp_path):
    site = SiteVisionSite(tmp_path / "site", municipality="Kiruna").build()
    with FixtureServer(site.root) as server, SmtpSink() as smtp:
        config = write_config(tmp_path, server.url("/"), smtp.url())
        assert kommunvakt(config, "crawl", "--municipality", "kiruna").returncode == 0
        server.set_status("/", 500)
        for _ in range(4):
            assert kommunvakt(config, "crawl", "--municipality", "kiruna").returncode == 1
        assert len(smtp.messages) == 1
        failing = smtp.messages[0]
        assert "Kiruna" in failing.subject + failing.text and "500" in failing.text
        assert status_json(config)["sources"][0]["health"] == "failing"

        server.clear_status("/")
        assert kommunvakt(config, "crawl", "--municipality", "kiruna").returncode == 0
        assert kommunvakt(config, "crawl", "--municipality", "kiruna").returncode == 0
        assert len(smtp.messages) == 2
        assert "Kiruna" in smtp.messages[1].subject
        assert status_json(config)["sources"] == []
