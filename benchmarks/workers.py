"""Crawl workers: one node against two on the same farm of slow (I/O-bound) sites; prints the ratio.

    .venv/bin/python benchmarks/workers.py [--sites 24] [--delay 1.0] [--batch 3]

Needs PostgreSQL on 127.0.0.1:5432 and RabbitMQ on 127.0.0.1:5672 (as the tests do).  Builds a loopback farm of
--sites fixture municipality sites that each take --delay seconds to answer a request, then twice: a fresh
database, an S3 server (moto) on loopback, N `kommunvakt worker` nodes (N = 1, then 2), every source handed out
at once in jobs of --batch sources (monitor.app.engine.submit_all), timed until every job has ended.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.app.clock import utcnow  # noqa: E402
from monitor.app.engine import celery_app, submit_all  # noqa: E402
from monitor.app.service import open_service  # noqa: E402
from storage import workers as store  # noqa: E402
from tests.support.cluster import Cluster, Farm, ObjectStore, broker_problem  # noqa: E402
from tests.support.postgres import create_postgres_database, drop_postgres_database, postgres_problem  # noqa: E402


def timed_run(root: Path, farm: Farm, nodes: int, batch: int) -> tuple[float, int]:
    """Seconds from handing out every source to the last job's end; and the runs that ended ok."""
    url = create_postgres_database()
    try:
        with ObjectStore() as s3, Cluster(root / f"nodes-{nodes}", farm, url, s3, lease_s=30, batch_size=batch) as cluster:
            service = open_service(cluster.load_config())
            for index in range(nodes):
                cluster.start_node(f"node-{index + 1}")
            wait_for_nodes(service, nodes)
            started = time.monotonic()
            submit_all(celery_app(service.config.workers), service.database, service.config,
                       service.config.sources, utcnow())
            wait_until_done(service)
            elapsed = time.monotonic() - started
            with service.database.transaction() as session:
                ok = sum(1 for s in service.config.sources if _last_outcome(session, s.key) == "ok")
            service.close()
            return elapsed, ok
    finally:
        drop_postgres_database(url)


def _last_outcome(session, key: str) -> str | None:
    from storage import repository as repo

    return repo.source_state(session, key).last_outcome


def wait_for_nodes(service, count: int, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with service.database.transaction() as session:
            if len(store.workers_status(session, utcnow(), 60).live_nodes) >= count:
                time.sleep(3)  # their Celery consumers start just after the first heartbeat
                return
        time.sleep(0.5)
    raise SystemExit(f"{count} nodes did not start within {timeout_s} s")


def wait_until_done(service, timeout_s: float = 1800) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with service.database.transaction() as session:
            status = store.workers_status(session, utcnow(), 60)
        if not status.waiting and not status.running:
            return
        time.sleep(0.25)
    raise SystemExit("jobs still open")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=24)
    parser.add_argument("--delay", type=float, default=1.0, help="seconds each site takes to answer a request")
    parser.add_argument("--batch", type=int, default=3, help="sources per job")
    args = parser.parse_args()
    for problem in (postgres_problem(), broker_problem()):
        if problem:
            raise SystemExit(problem)
    with tempfile.TemporaryDirectory(prefix="kv-workers-") as folder:
        root = Path(folder)
        farm = Farm.build(root / "farm", sites=args.sites, declines=0, delay_s=args.delay)
        with farm.serving():
            one, ok_one = timed_run(root, farm, 1, args.batch)
            two, ok_two = timed_run(root, farm, 2, args.batch)
    print(f"farm: {args.sites} sites, {farm.documents()} PDFs, {args.delay:.2f} s per request, jobs of {args.batch}")
    print(f"1 worker : {one:7.1f} s  ({ok_one}/{args.sites} sources ok)")
    print(f"2 workers: {two:7.1f} s  ({ok_two}/{args.sites} sources ok)")
    print(f"ratio (1 worker / 2 workers): {one / two:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
