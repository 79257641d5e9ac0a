"""`kommunvakt health [--json]`: exit 0 when the daemon is alive and delivering, else 1 and what is wrong.

For Docker's HEALTHCHECK and monitoring: it only reads the database (no migration, nothing written).
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from monitor.app.liveness import HealthReport, assess, gather
from monitor.config import Config
from storage.db import open_database

EXIT_HEALTHY, EXIT_UNHEALTHY = 0, 1


def register(sub) -> None:
    p = sub.add_parser("health", help="exit 0 when the daemon's heartbeat is recent, alerts go out in time and "
                                      "few sources fail; else exit 1 and say what is wrong")
    p.add_argument("--json", action="store_true", help="the verdict and its facts as one JSON object")
    p.set_defaults(handler=health)


def health(config: Config, args: argparse.Namespace) -> int:
    now = datetime.now(UTC)
    database = open_database(config.database_url, migrate=False)
    try:
        report = assess(gather(database, config, now), config.health)
    except Exception as exc:  # noqa: BLE001 - a database that cannot be read is an unhealthy service
        return _unreadable(exc, args.json)
    finally:
        database.dispose()
    print(json.dumps(report_json(report), ensure_ascii=False) if args.json else report_text(report))
    return EXIT_HEALTHY if report.healthy else EXIT_UNHEALTHY


def _unreadable(exc: Exception, as_json: bool) -> int:
    problem = f"cannot read the database: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    print(json.dumps({"healthy": False, "problems": [problem]}) if as_json else f"unhealthy\n  - {problem}")
    return EXIT_UNHEALTHY


def report_text(report: HealthReport) -> str:
    facts = report.facts
    beat = (f"heartbeat {(facts.now - facts.heartbeat.beat_at).total_seconds():.0f} s ago ({facts.heartbeat.holder})"
            if facts.heartbeat else "no heartbeat")
    summary = (f"{beat}; {facts.overdue.count} alerts overdue; "
               f"{len(facts.failing_sources)} of {facts.enabled_sources} sources failing")
    if facts.workers is not None:
        summary += (f"; worker nodes alive {len(facts.workers.live_nodes)} of {len(facts.workers.nodes)}, "
                    f"jobs waiting {len(facts.workers.waiting)}, running {len(facts.workers.running)}")
    if report.healthy:
        return f"healthy: {summary}"
    return "unhealthy: " + summary + "".join(f"\n  - {problem}" for problem in report.problems)


def report_json(report: HealthReport) -> dict:
    facts = report.facts
    heartbeat = facts.heartbeat
    return {
        "healthy": report.healthy,
        "problems": list(report.problems),
        "checked_at": facts.now.isoformat(),
        "heartbeat": {"host": heartbeat.host, "holder": heartbeat.holder, "started_at": heartbeat.started_at.isoformat(),
                      "beat_at": heartbeat.beat_at.isoformat(),
                      "age_s": round((facts.now - heartbeat.beat_at).total_seconds(), 1)} if heartbeat else None,
        "alerts_overdue": facts.overdue.count,
        "sources_enabled": facts.enabled_sources,
        "sources_failing": list(facts.failing_sources),
        "workers": _workers_json(facts.workers) if facts.workers is not None else None,
    }


def _workers_json(workers) -> dict:
    return {"nodes": [{"name": node.name, "state": node.state, "heartbeat_at": node.heartbeat_at.isoformat(),
                       "crawling": list(node.crawling)} for node in workers.nodes],
            "jobs_waiting": len(workers.waiting), "jobs_running": len(workers.running)}
