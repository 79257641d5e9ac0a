"""Issue 15, defect 1: cron schedules are read as cron reads them, with jitter, and refused at load when wrong."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.app.schedule import TIMEZONE, trigger_for
from monitor.cli import main
from monitor.cron import CronError, cron_trigger, cron_weekdays
from monitor.domain import SourceConfig, SourceKind

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday


def cron_source(schedule: str) -> SourceConfig:
    return SourceConfig(key="0665-protocols", kind=SourceKind.PROTOCOLS, municipality_code="0665",
                        start_urls=("https://www.vaggeryd.se/",), schedule=schedule)


def test_a_cron_source_gets_a_trigger_with_jitter():
    trigger = trigger_for(cron_source("30 6 * * *"), None, NOW)  # raised TypeError before: from_crontab(jitter=)
    assert trigger.jitter == 3
    fire = trigger.get_next_fire_time(None, NOW).astimezone(TIMEZONE)
    assert (fire.day, fire.hour, fire.minute) == (5, 6, 30)
    assert fire.second <= 3


@pytest.mark.parametrize(("field", "names"), [
    ("1", "mon"), ("0", "sun"), ("7", "sun"), ("1-5", "mon,tue,wed,thu,fri"), ("6,0", "sun,sat"),
    ("*/2", "sun,tue,thu,sat"), ("mon-wed", "mon,tue,wed"), ("*", "*"), ("6-7", "sun,sat"),
])
def test_weekdays_are_numbered_as_in_cron_where_sunday_is_0_and_7(field, names):
    assert cron_weekdays(field) == names


def test_monday_in_cron_fires_on_a_monday():
    fire = cron_trigger("0 6 * * 1", TIMEZONE).get_next_fire_time(None, NOW)
    assert fire.astimezone(TIMEZONE).strftime("%A %H:%M") == "Monday 06:00"


@pytest.mark.parametrize("expression", ["99 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8",
                                        "* * * * mon-", "0 6 * *", "* * * * * *", "a b c d e", "*/0 * * * *"])
def test_invalid_expressions_are_refused(expression):
    with pytest.raises(CronError):
        cron_trigger(expression, TIMEZONE)


def test_config_with_a_bad_cron_names_key_and_line_and_exits_2(tmp_path, capsys):
    path = tmp_path / "kommunvakt.toml"
    path.write_text('[crawl]\ndefault_sources = false\n\n[[sources]]\nmunicipality = "0665"\n'
                    'start_urls = ["https://www.vaggeryd.se/"]\nschedule = "99 * * * *"\n', encoding="utf-8")
    assert main(["--config", str(path), "status"]) == 2
    error = capsys.readouterr().err
    assert "sources[0].schedule" in error and "99" in error and "(line 7)" in error
    assert not (tmp_path / "data").exists()  # nothing written
