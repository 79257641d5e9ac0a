"""The daemon as a real process: scheduled crawls, alerts without a trigger, clean stop, kill -9 resume."""

from __future__ import annotations

import os
import signal
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from monitor.app.schedule import CATCH_UP_SPREAD_S, TIMEZONE, offset_seconds
from tests.support.cli import kommunvakt, start_kommunvakt, status_json
from tests.support.config import write_daemon_config
from tests.support.daemon import crawl_runs, start_daemon, wait_for
from tests.support.httpserver import FixtureServer
from tests.support.seeds import VAGGERYD_SEED
from tests.support.sites import SiteVisionSite
from tests.support.smtp import SmtpSink

pytestmark = pytest.mark.slow


@pytest.fixture
def world(tmp_path):
    site = SiteVisionSite(tmp_path / "site").build()
    with FixtureServer(site.root) as server, SmtpSink() as smtp:
        yield site, server, smtp, write_daemon_config(tmp_path, server.url("/"), smtp.url())


def test_scheduled_crawl_delivers_a_change_and_sigterm_stops_cleanly(world):
    site, server, smtp, config = world
    daemon = start_daemon(config)
    try:
        wait_for(lambda: crawl_runs(config) >= 1, timeout=120,
                 what="the first scheduled crawl")
        assert smtp.messages == []
        site.publish_protocol(f"Protokoll kommunfullmäktige {date.today()}", date.today(),
                              VAGGERYD_SEED.read_text(encoding="utf-8"))
        wait_for(lambda: len(smtp.messages) >= 1, what="the alert email")
        assert "Vaggeryd" in smtp.messages[0].subject + smtp.messages[0].text
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=30) == 0
    finally:
        if daemon.poll() is None:
            daemon.kill()
    assert len(smtp.messages) == 1


def test_kill_9_and_restart_loses_and_repeats_nothing(world):
    site, server, smtp, config = world
    daemon = start_daemon(config)
    wait_for(lambda: crawl_runs(config) >= 1, timeout=120,  # a crawl child starts slowly on a busy machine
             what="the first scheduled crawl")
    site.publish_protocol(f"Protokoll kommunfullmäktige {date.today()}", date.today(),
                          VAGGERYD_SEED.read_text(encoding="utf-8"))
    time.sleep(1.0)  # let it be in the middle of something; any moment must be safe
    os.kill(daemon.pid, signal.SIGKILL)
    daemon.wait(timeout=10)
    restarted = start_daemon(config)
    try:
        wait_for(lambda: len(smtp.messages) >= 1, what="the alert after the restart")
        runs = crawl_runs(config)
        wait_for(lambda: crawl_runs(config) >= runs + 2, what="two more scheduled crawls")
        restarted.send_signal(signal.SIGTERM)
        assert restarted.wait(timeout=30) == 0
    finally:
        if restarted.poll() is None:
            restarted.kill()
    assert len(smtp.messages) == 1
    state = status_json(config)
    assert state["municipalities"][0]["stance"] == "declined"


def test_manual_crawl_during_a_daemon_crawl_never_runs_the_same_source_twice(world):
    site, server, smtp, config = world
    daemon = start_daemon(config)
    try:
        results = [kommunvakt(config, "crawl", "--municipality", "Vaggeryd") for _ in range(3)]
        for result in results:
            assert result.returncode in (0, 1), result.stderr
            if result.returncode == 1:
                assert "is being crawled by daemon pid" in result.stdout
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
    import sqlite3

    with sqlite3.connect(config.parent / "data" / "kommunvakt.db") as db:
        rows = db.execute("select started_at, finished_at from crawl_runs order by started_at").fetchall()
    for (_, end), (start, _) in zip(rows, rows[1:], strict=False):
        assert end is not None and end <= start  # runs of the one source never overlap


def run_starts(config: Path) -> list[datetime]:
    import sqlite3

    with sqlite3.connect(config.parent / "data" / "kommunvakt.db") as db:
        rows = db.execute("select started_at from crawl_runs order by started_at").fetchall()
    return [datetime.fromisoformat(started).replace(tzinfo=UTC) for (started,) in rows]


def test_a_cron_source_is_scheduled_and_crawled_on_the_minute(tmp_path):
    """Issue 15, defect 1: a cron schedule crashed `run` at start (from_crontab takes no jitter).

    A never-crawled source runs first at its place in the catch-up spread (this name's place is 1 s),
    then on its cron schedule: every minute, plus at most 3 s of jitter.
    """
    name = "cron-391"
    assert offset_seconds(name, CATCH_UP_SPREAD_S) <= 1
    site = SiteVisionSite(tmp_path / "site").build()
    with FixtureServer(site.root) as server:
        config = write_daemon_config(tmp_path, server.url("/"), "json://127.0.0.1:9/", events=("source_health",))
        config.write_text(config.read_text().replace('every = "2s"', 'schedule = "* * * * *"')
                          .replace('"vaggeryd-protocols"', f'"{name}"'), encoding="utf-8")
        daemon = start_kommunvakt(config, "run", "-v")
        try:
            wait_for(lambda: crawl_runs(config) >= 2 or daemon.poll() is not None, timeout=100,
                     what="the catch-up crawl and the first crawl on the cron schedule")
            assert daemon.poll() is None, daemon.stdout.read()
            daemon.send_signal(signal.SIGTERM)
            assert daemon.wait(timeout=30) == 0
        finally:
            if daemon.poll() is None:
                daemon.kill()
        output = daemon.stdout.read()
    assert f"crawl:{name}: next run" in output
    on_schedule = run_starts(config)[1].astimezone(TIMEZONE)
    assert on_schedule.second <= 4, on_schedule  # the minute, its jitter, and the moment it takes to start
