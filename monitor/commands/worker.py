"""`kommunvakt worker` (a crawl node) and `kommunvakt status --workers` (the nodes, what each crawls, the jobs
waiting): parsers and handlers.  See monitor.app.workers and monitor.app.engine."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

from monitor.commands.output import UsageError
from monitor.config import Config

EXIT_OK, EXIT_USAGE = 0, 2


class NoWorkers(UsageError):
    """The config has no [workers] table."""


def register(sub) -> None:
    p = sub.add_parser("worker", help="run a crawl worker node: takes crawl jobs the daemon hands out (needs "
                                      "[workers] and PostgreSQL in the config)")
    p.add_argument("--name", help="this node's name, unique among the nodes (default: the host name)")
    p.add_argument("--concurrency", type=int, default=1, help="crawl jobs at once on this node (default 1)")
    p.set_defaults(handler=worker)


def add_status_workers_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", action="store_true", help="the crawl worker nodes, what each crawls, and the "
                                                               "jobs waiting")


def worker(config: Config, args: argparse.Namespace) -> int:
    from monitor.app.workers import default_node_name, run_worker

    if config.workers is None:
        raise NoWorkers("`kommunvakt worker` needs a [workers] table (broker_url or broker_url_env) in the config")
    if args.concurrency < 1:
        raise NoWorkers("--concurrency must be at least 1")
    return run_worker(config, args.name or default_node_name(), args.concurrency)


def status_workers(config: Config, args: argparse.Namespace) -> int:
    from storage import workers as store
    from storage.db import open_database

    database = open_database(config.database_url)
    try:
        with database.transaction() as session:
            status = store.workers_status(session, datetime.now(UTC), silent_after_s=silent_after(config))
    finally:
        database.dispose()
    print(json.dumps(_as_json(status), default=str) if args.json else "\n".join(_lines(status, config)))
    return EXIT_OK


def silent_after(config: Config) -> int:
    """A node without a heartbeat for this long is shown as silent (dead, or cut off from the database)."""
    return config.workers.lease_seconds if config.workers else 120


def _as_json(status) -> dict:
    return {"nodes": [vars(node) for node in status.nodes],
            "jobs_waiting": [vars(job) for job in status.waiting],
            "jobs_running": [vars(job) for job in status.running]}


def _lines(status, config: Config) -> list[str]:
    if config.workers is None and not status.nodes:
        return ["No crawl workers: crawls run as children of the daemon ([workers] is not configured)."]
    lines = [f"Worker nodes: {len(status.live_nodes)} working of {len(status.nodes)}"]
    for node in status.nodes:
        doing = ", ".join(node.crawling) or "nothing"
        lines.append(f"  {node.name:<24} {node.state:<8} heartbeat {node.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC  "
                     f"crawling: {doing}")
    lines.append(f"Jobs waiting: {len(status.waiting)}; running: {len(status.running)}")
    for job in status.waiting:
        lines.append(f"  job {job.id} queued {job.queued_at:%Y-%m-%d %H:%M:%S} UTC: {', '.join(job.source_keys)}")
    return lines
