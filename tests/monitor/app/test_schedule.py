"""Issue 4: after a restart nothing due is skipped, nothing runs early, and 290 sources do not start at once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from monitor.app.schedule import CATCH_UP_SPREAD_S, catch_up, first_run, interval_of, missed_cron_run
from monitor.config import load_config
from monitor.domain import SourceConfig, SourceKind

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = 86400


def all_default_sources(tmp_path) -> list[SourceConfig]:
    path = tmp_path / "kommunvakt.toml"
    path.write_text('[database]\nurl = "sqlite:///k.db"\n', encoding="utf-8")
    return [s for s in load_config(str(path)).sources if s.kind is SourceKind.PROTOCOLS]


def test_a_restart_after_a_long_outage_spreads_290_overdue_sources_over_ten_minutes(tmp_path):
    sources = all_default_sources(tmp_path)
    assert len(sources) == 290
    starts = [first_run(s.key, interval_of(s), NOW - timedelta(days=3), NOW) for s in sources]

    assert all(NOW <= start < NOW + timedelta(seconds=CATCH_UP_SPREAD_S) for start in starts)  # none skipped
    per_ten_seconds = Counter(int((start - NOW).total_seconds()) // 10 for start in starts)
    assert max(per_ten_seconds.values()) <= 15  # ~5 expected; never a stampede
    assert len(per_ten_seconds) >= 45  # spread over most of the 60 slots


def test_a_source_that_is_not_yet_due_keeps_its_rhythm():
    last = NOW - timedelta(hours=2)
    assert first_run("0665-protocols", DAY, last, NOW) == last + timedelta(seconds=DAY)


def test_a_source_never_crawled_starts_within_the_spread():
    start = first_run("2584-protocols", DAY, None, NOW)
    assert NOW <= start < NOW + timedelta(seconds=CATCH_UP_SPREAD_S)
    assert start == first_run("2584-protocols", DAY, None, NOW)  # deterministic per source


def test_short_intervals_catch_up_at_once():
    assert first_run("press", 30, NOW - timedelta(minutes=5), NOW) == NOW


def cron_source(schedule: str) -> SourceConfig:
    return SourceConfig(key="0180-protocols", kind=SourceKind.PROTOCOLS, municipality_code="0180",
                        start_urls=("https://start.stockholm/",), schedule=schedule)


def test_a_cron_run_that_came_due_while_down_is_made_up_soon():
    source = cron_source("0 6 * * *")  # 06:00 Stockholm time = 05:00 UTC in March
    assert missed_cron_run(source, datetime(2026, 3, 1, 5, 1, tzinfo=UTC), NOW)  # 2 March 05:00 missed
    assert not missed_cron_run(source, datetime(2026, 3, 2, 5, 1, tzinfo=UTC), NOW)  # today's already ran
    assert NOW <= catch_up(source.key, NOW) < NOW + timedelta(seconds=CATCH_UP_SPREAD_S)
