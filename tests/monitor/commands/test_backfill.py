"""Issue 4: `kommunvakt crawl --since DATE --no-alerts` fills history from a date without alerting."""

from __future__ import annotations

from datetime import date

from tests.support.cli import kommunvakt, status_json
from tests.support.config import write_vaggeryd_config as write_config
from tests.support.seeds import VAGGERYD_SEED
from tests.support.sites import example_body


def test_backfill_fetches_from_the_date_on_and_alerts_nobody(tmp_path, site, smtp):  # noqa: F811
    site, server = site
    old = site.publish_protocol("Protokoll kommunfullmäktige 2023-03-14", date(2023, 3, 14),
                                example_body(date(2023, 3, 14)))
    decline = site.publish_protocol("Protokoll kommunfullmäktige 2025-11-25", date(2025, 11, 25),
                                    VAGGERYD_SEED.read_text(encoding="utf-8"))
    config = write_config(tmp_path, server.url("/"), smtp.url())

    result = kommunvakt(config, "crawl", "--municipality", "Vaggeryd", "--since", "2025-01-01", "--no-alerts")

    assert result.returncode == 0, result.stdout + result.stderr
    assert server.requests(old.path) == 0  # dated before --since: never fetched
    assert server.requests(decline.path) == 1
    assert all(server.requests(path) == 1 for path in site.pdf_paths() if path != old.path)
    assert smtp.messages == []
    (vaggeryd,) = status_json(config)["municipalities"]
    assert vaggeryd["stance"] == "declined" and vaggeryd["document_url"] == server.url(decline.path)

    again = kommunvakt(config, "crawl", "--municipality", "Vaggeryd")  # the backfill is the baseline
    assert again.returncode == 0, again.stdout + again.stderr
    assert smtp.messages == []


def test_since_needs_no_alerts_and_a_real_date(tmp_path, smtp):  # noqa: F811
    config = write_config(tmp_path, "http://127.0.0.1:9/", smtp.url())
    alerting = kommunvakt(config, "crawl", "--municipality", "Vaggeryd", "--since", "2025-01-01")
    assert alerting.returncode == 2 and "--no-alerts" in alerting.stderr
    bad_day = kommunvakt(config, "crawl", "--municipality", "Vaggeryd", "--since", "1 januari", "--no-alerts")
    assert bad_day.returncode == 2 and "YYYY-MM-DD" in bad_day.stderr
    assert not (tmp_path / "data" / "kommunvakt.db").exists()  # a bad command writes nothing

