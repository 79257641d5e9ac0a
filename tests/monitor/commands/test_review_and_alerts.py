"""`kommunvakt review` and `kommunvakt alerts ...` through the real CLI, SMTP server and database."""

from __future__ import annotations

import json
from datetime import date

from tests.support.cli import kommunvakt
from tests.support.config import write_vaggeryd_config as write_config
from tests.support.httpserver import FixtureServer
from tests.support.seeds import VAGGERYD_SEED
from tests.support.sites import SiteVisionSite
from tests.support.smtp import SmtpSink


def test_low_confidence_change_is_held_until_approved(tmp_path):
    site = SiteVisionSite(tmp_path / "site").build()
    with FixtureServer(site.root) as server, SmtpSink() as smtp:
        config = write_config(tmp_path, server.url("/"), smtp.url())
        config.write_text(config.read_text() + "\n[alerts]\nreview_threshold = 0.99\n")
        site.publish_protocol(f"Protokoll kommunfullmäktige {date.today()}", date.today(),
                              VAGGERYD_SEED.read_text(encoding="utf-8"))
        assert kommunvakt(config, "crawl", "--municipality", "Vaggeryd").returncode == 0
        assert smtp.messages == []
        held = [json.loads(line) for line in kommunvakt(config, "review", "--json").stdout.splitlines()]
        assert [(h["municipality_code"], h["new_stance"], h["status"]) for h in held] == [("0665", "declined", "held")]

        approved = kommunvakt(config, "review", "--approve", str(held[0]["id"]))
        assert approved.returncode == 0, approved.stderr
        assert len(smtp.messages) == 1 and "declined" in smtp.messages[0].text
        assert kommunvakt(config, "review", "--approve", str(held[0]["id"])).returncode == 2  # not held any more
        assert kommunvakt(config, "crawl", "--municipality", "Vaggeryd").returncode == 0
        assert len(smtp.messages) == 1


def test_alert_commands_with_a_target_that_is_down(tmp_path):
    smtp = SmtpSink()
    config = write_config(tmp_path, "http://127.0.0.1:9/", smtp.url())
    test = kommunvakt(config, "alerts", "test")
    assert test.returncode == 1 and "NOT delivered" in test.stdout
    smtp.start()
    try:
        test = kommunvakt(config, "alerts", "test", "--target", "newsroom")
        assert test.returncode == 0 and "newsroom" in test.stdout and "delivered" in test.stdout
        assert len(smtp.messages) == 1
        assert kommunvakt(config, "alerts", "list", "--json").returncode == 0
        assert kommunvakt(config, "alerts", "retry", "--all").returncode == 0
        assert kommunvakt(config, "alerts", "retry", "999").returncode == 2
        assert kommunvakt(config, "alerts", "test", "--target", "nobody").returncode == 2
    finally:
        smtp.stop()
