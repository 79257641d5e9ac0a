"""Issue 15, health: what `kommunvakt health` calls healthy, judged from facts read from a real database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from monitor.app.liveness import HealthFacts, assess, beat, gather
from monitor.config import HealthSettings, load_config
from monitor.domain import EventType
from monitor.municipalities import Registry
from storage import outbox
from storage import repository as repo
from storage.db import open_database
from storage.liveness import Heartbeat, OverdueAlerts
from storage.outbox import NewAlert
from storage.workers import CrawlJob, WorkerNode, WorkersStatus
from tests.support.config import write_config

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SETTINGS = HealthSettings(heartbeat_max_age_s=180, dispatch_max_delay_s=900, max_failing_share=0.25)
FRESH = Heartbeat("host", "daemon pid 1 on host", NOW - timedelta(hours=1), NOW - timedelta(seconds=30))
HEALTHY = HealthFacts(NOW, FRESH, OverdueAlerts(0, None), enabled_sources=8, failing_sources=("a", "b"))


def test_a_recent_heartbeat_no_overdue_alert_and_few_failing_sources_is_healthy():
    report = assess(HEALTHY, SETTINGS)
    assert report.healthy and report.problems == ()


@pytest.mark.parametrize(("facts", "says"), [
    (replace(HEALTHY, heartbeat=None), "no daemon heartbeat"),
    (replace(HEALTHY, heartbeat=replace(FRESH, beat_at=NOW - timedelta(seconds=181))), "181 s old (limit 180 s"),
    (replace(HEALTHY, overdue=OverdueAlerts(2, NOW - timedelta(hours=1))), "2 alert(s) waiting more than 900 s"),
    (replace(HEALTHY, failing_sources=("a", "b", "c")), "3 of 8 sources failing (38%, limit 25%): a, b, c"),
], ids=["never", "stale", "overdue", "failing"])
def test_each_problem_makes_it_unhealthy_and_says_what(facts, says):
    report = assess(facts, SETTINGS)
    assert not report.healthy
    assert len(report.problems) == 1 and says in report.problems[0]


def test_jobs_waiting_with_no_live_worker_node_is_unhealthy_and_names_the_silent_ones():
    dead = WorkerNode("node-1", "silent", NOW - timedelta(hours=1), NOW - timedelta(minutes=10), ("0665-protocols",))
    job = CrawlJob(7, ("0680-protocols",), "queued", NOW - timedelta(minutes=5), None, 0)
    stuck = replace(HEALTHY, workers=WorkersStatus((dead,), (job,), ()))
    report = assess(stuck, SETTINGS)
    assert not report.healthy
    assert report.problems == ("1 crawl job(s) waiting and no worker node alive (silent: node-1) "
                               "(`kommunvakt status --workers`)",)
    alive = replace(dead, name="node-2", state="working")
    assert assess(replace(stuck, workers=WorkersStatus((dead, alive), (job,), ())), SETTINGS).healthy
    assert assess(replace(stuck, workers=WorkersStatus((dead,), (), ())), SETTINGS).healthy  # nothing waits


def new_alert(key: str) -> NewAlert:
    return NewAlert(idempotency_key=key, event_type=EventType.STANCE_CHANGE, target="newsroom", title="t", body="b",
                    municipality_code="0665")


def test_the_facts_come_from_the_database(database_url, tmp_path):
    path = write_config(tmp_path, database_url=database_url,
                        sources=[{"name": "ok", "municipality": "0665", "start_urls": ["https://a.se/"]},
                                 {"name": "bad", "municipality": "0680", "start_urls": ["https://b.se/"]}])
    config = load_config(str(path))
    database = open_database(database_url)
    with database.transaction() as session:
        repo.sync_municipalities(session, Registry.load())
        repo.sync_sources(session, config.sources, NOW)
    for _ in range(config.daemon.failure_threshold):
        with database.transaction() as session:
            run = repo.start_run(session, "bad", "test", NOW, stale_after_s=60, holder_alive=lambda _h: True)
            repo.finish_run(session, run, ok=False, error="HTTP 500", now=NOW, outcome="failed")
    with database.transaction() as session:
        outbox.insert_alert(session, new_alert("late"), NOW - timedelta(hours=2))
        outbox.insert_alert(session, new_alert("fresh"), NOW - timedelta(minutes=1))
    beat(database, "daemon pid 7 on here", NOW - timedelta(hours=3), NOW - timedelta(hours=1))
    beat(database, "daemon pid 8 on here", NOW - timedelta(minutes=5), NOW - timedelta(seconds=10))

    facts = gather(database, config, NOW)
    database.dispose()

    assert facts.heartbeat.holder == "daemon pid 8 on here"  # one row per host, brought up to date
    assert facts.heartbeat.beat_at == NOW - timedelta(seconds=10)
    assert facts.overdue.count == 1 and facts.overdue.oldest_due_at == NOW - timedelta(hours=2)
    assert facts.failing_sources == ("bad",) and facts.enabled_sources == 2
    assert [p.split(" ")[0] for p in assess(facts, config.health).problems] == ["1", "1"]  # the alert, 1 of 2 failing
