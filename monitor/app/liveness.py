"""Is the service alive and delivering?  The facts from the database, and a pure judgement of them."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.config import Config, HealthSettings
from storage import liveness
from storage.db import Database
from storage.liveness import Heartbeat, OverdueAlerts
from storage.workers import WorkersStatus, workers_status


@dataclass(frozen=True)
class HealthFacts:
    now: datetime
    heartbeat: Heartbeat | None
    overdue: OverdueAlerts
    enabled_sources: int
    failing_sources: tuple[str, ...]
    workers: WorkersStatus | None = None  # with [workers]: the nodes and the jobs waiting


@dataclass(frozen=True)
class HealthReport:
    healthy: bool
    problems: tuple[str, ...]
    facts: HealthFacts


def gather(database: Database, config: Config, now: datetime) -> HealthFacts:
    enabled = {source.key for source in config.sources if source.enabled}
    due_before = now - timedelta(seconds=config.health.dispatch_max_delay_s)
    with database.transaction() as session:
        heartbeat = liveness.latest_heartbeat(session)
        overdue = liveness.overdue_alerts(session, due_before)
        failing = liveness.failing_source_keys(session, config.daemon.failure_threshold) & enabled
        workers = workers_status(session, now, config.workers.lease_seconds) if config.workers else None
    return HealthFacts(now, heartbeat, overdue, len(enabled), tuple(sorted(failing)), workers)


def assess(facts: HealthFacts, settings: HealthSettings) -> HealthReport:
    problems = [*_heartbeat_problems(facts, settings), *_dispatch_problems(facts, settings),
                *_source_problems(facts, settings), *_worker_problems(facts)]
    return HealthReport(not problems, tuple(problems), facts)


def _heartbeat_problems(facts: HealthFacts, settings: HealthSettings) -> list[str]:
    if facts.heartbeat is None:
        return ["no daemon heartbeat: `kommunvakt run` has never run against this database"]
    age = (facts.now - facts.heartbeat.beat_at).total_seconds()
    if age > settings.heartbeat_max_age_s:
        return [f"the daemon's last heartbeat is {age:.0f} s old (limit {settings.heartbeat_max_age_s} s; "
                f"{facts.heartbeat.holder}): is `kommunvakt run` running?"]
    return []


def _dispatch_problems(facts: HealthFacts, settings: HealthSettings) -> list[str]:
    overdue = facts.overdue
    if not overdue.count:
        return []
    since = f", the oldest due since {overdue.oldest_due_at:%Y-%m-%d %H:%M:%S} UTC" if overdue.oldest_due_at else ""
    return [f"{overdue.count} alert(s) waiting more than {settings.dispatch_max_delay_s} s past their due "
            f"time{since} (`kommunvakt alerts list`)"]


def _source_problems(facts: HealthFacts, settings: HealthSettings) -> list[str]:
    if not facts.enabled_sources:
        return []
    share = len(facts.failing_sources) / facts.enabled_sources
    if share <= settings.max_failing_share:
        return []
    names = ", ".join(facts.failing_sources[:10]) + (" ..." if len(facts.failing_sources) > 10 else "")
    return [f"{len(facts.failing_sources)} of {facts.enabled_sources} sources failing ({share:.0%}, limit "
            f"{settings.max_failing_share:.0%}): {names} (`kommunvakt status --sources`)"]


def _worker_problems(facts: HealthFacts) -> list[str]:
    """With crawl workers: jobs wait while no node is alive to take them."""
    workers = facts.workers
    if workers is None or not workers.waiting or workers.live_nodes:
        return []
    silent = [node.name for node in workers.nodes if node.state == "silent"]
    return [f"{len(workers.waiting)} crawl job(s) waiting and no worker node alive"
            + (f" (silent: {', '.join(silent)})" if silent else "") + " (`kommunvakt status --workers`)"]


def beat(database: Database, holder: str, started_at: datetime, now: datetime) -> None:
    """The daemon's heartbeat: one row per host, its time brought up to now."""
    with database.transaction() as session:
        liveness.record_heartbeat(session, socket.gethostname(), holder, started_at, now)
