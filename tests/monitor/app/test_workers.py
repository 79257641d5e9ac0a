"""Crawl workers (issue 17) on real parts: PostgreSQL, RabbitMQ, an S3 server (moto) on loopback, two
`kommunvakt worker` processes as two nodes in working directories of their own, a farm of slow fixture
municipality sites, and the daemon's own code handing out the crawls and analysing and alerting after."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from monitor.app.clock import utcnow
from monitor.app.daemon import Daemon
from monitor.app.engine import celery_app, submit_all
from monitor.app.service import open_service
from monitor.config import ConfigError, load_config
from storage import workers as store
from storage.models import AlertRow, CrawlRunRow, DocumentRow, SourceRow
from tests.support.cluster import Cluster, Farm, ObjectStore, broker_problem
from tests.support.postgres import create_postgres_database, drop_postgres_database, postgres_problem
from tests.support.webhook import WebhookReceiver

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
SITES, DECLINES = 22, 3


@pytest.fixture
def postgres_url():
    problem = postgres_problem()
    if problem:
        pytest.skip(problem)
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


@pytest.fixture(scope="module")
def farm_files(tmp_path_factory) -> Farm:
    return Farm.build(tmp_path_factory.mktemp("farm"), sites=SITES, declines=DECLINES, delay_s=0.15)


@pytest.fixture
def cluster(tmp_path, farm_files, postgres_url):
    problem = broker_problem()
    if problem:
        pytest.skip(problem)
    with farm_files.serving() as farm, ObjectStore() as s3, WebhookReceiver() as hook, \
            Cluster(tmp_path, farm, postgres_url, s3, hook_url=hook.url("/newsroom")) as cluster:
        cluster.hook = hook
        yield cluster


def hand_out_each(cluster: Cluster) -> Daemon:
    """What the daemon does when each source's time comes: hand its crawl to the workers, one job each."""
    daemon = Daemon(open_service(cluster.load_config()))
    for source in daemon.config.sources:
        daemon.crawl_job(source)
    return daemon


def hand_out_all(cluster: Cluster) -> Daemon:
    """Every source now, in jobs of [workers] batch_size sources (monitor.app.engine.submit_all)."""
    daemon = Daemon(open_service(cluster.load_config()))
    submit_all(celery_app(daemon.config.workers), daemon.service.database, daemon.config, daemon.config.sources,
               utcnow())
    return daemon


def wait_until_done(daemon: Daemon, timeout_s: float = 240) -> store.WorkersStatus:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with daemon.service.database.transaction() as session:
            status = store.workers_status(session, utcnow(), silent_after_s=30)
        if not status.waiting and not status.running:
            return status
        time.sleep(0.5)
    raise AssertionError(f"jobs still open after {timeout_s} s: {status}")


def runs_by_source(daemon: Daemon) -> dict[str, list[tuple[str, str]]]:
    with daemon.service.database.transaction() as session:
        rows = session.execute(select(SourceRow.key, CrawlRunRow.outcome, CrawlRunRow.holder)
                               .join(CrawlRunRow, CrawlRunRow.source_id == SourceRow.id).order_by(CrawlRunRow.id))
        runs: dict[str, list[tuple[str, str]]] = {}
        for key, outcome, holder in rows:
            runs.setdefault(key, []).append((outcome, holder))
    return runs


def stored_documents(daemon: Daemon) -> Counter:
    with daemon.service.database.transaction() as session:
        return Counter(session.execute(select(DocumentRow.source_id, DocumentRow.url)).all())


def assert_everything_once(cluster: Cluster, daemon: Daemon) -> None:
    documents = stored_documents(daemon)
    assert len(documents) == cluster.farm.documents() and set(documents.values()) == {1}
    with daemon.service.database.transaction() as session:
        hashes = set(session.scalars(select(DocumentRow.content_hash)))
    raw = {key.rsplit("/", 1)[-1] for key in cluster.store.keys("kv/raw/")}
    assert hashes <= raw, "every document's bytes are in the object store"
    assert not any((cluster.root / name / "data" / "raw").exists() for name in cluster.nodes)
    daemon.analyse_and_dispatch()
    daemon.analyse_and_dispatch()  # a second round finds nothing more to send
    posts = cluster.hook.accepted("/newsroom")
    with daemon.service.database.transaction() as session:
        alerts = session.execute(select(AlertRow.municipality_code, AlertRow.status)).all()
    assert sorted(code for code, _status in alerts) == sorted(cluster.farm.declining)
    assert {status for _code, status in alerts} == {"sent"}
    assert len(posts) == DECLINES
    names = {code: site.municipality for code, site in cluster.farm.sites}
    assert sorted(next(n for c, n in names.items() if n in post.message) for post in posts) == \
        sorted(names[code] for code in cluster.farm.declining)


def test_two_nodes_crawl_every_source_once_and_alert_once(cluster):
    cluster.start_node("node-1")
    cluster.start_node("node-2")
    daemon = hand_out_all(cluster)
    try:
        status = wait_until_done(daemon)
        runs = runs_by_source(daemon)
        assert sorted(runs) == sorted(cluster.farm.source_keys())
        assert all([outcome for outcome, _holder in source_runs] == ["ok"] for source_runs in runs.values())
        holders = Counter(holder.rsplit(" on ", 1)[1] for source_runs in runs.values() for _o, holder in source_runs)
        assert set(holders) == {"node-1", "node-2"}, f"both nodes crawled: {holders}"
        for code, site in cluster.farm.sites:
            assert all(cluster.farm.servers[code].requests(path) == 1 for path in site.pdf_paths())
        assert {node.name for node in status.live_nodes} == {"node-1", "node-2"}
        assert_everything_once(cluster, daemon)
    finally:
        daemon.service.close()


def test_a_node_killed_mid_crawl_leaves_its_sources_to_the_other_after_the_lease(cluster):
    cluster.start_node("node-1")
    daemon = hand_out_all(cluster)
    try:
        victim = wait_for_a_half_crawled_source(daemon, "node-1")
        cluster.kill_node("node-1")  # SIGKILL: no goodbye, no release; its crawl child dies with it
        killed_at = time.monotonic()
        cluster.start_node("node-2")
        wait_until_done(daemon)
        assert time.monotonic() - killed_at >= cluster.lease_s - 1, "the lock held until the lease ran out"
        runs = runs_by_source(daemon)
        assert sorted(runs) == sorted(cluster.farm.source_keys())
        for key, source_runs in runs.items():
            assert [o for o, _h in source_runs].count("ok") == 1, f"{key}: {source_runs}"
        assert [o for o, _h in runs[victim]] == ["crashed", "ok"]
        assert runs[victim][0][1].endswith("on node-1") and runs[victim][1][1].endswith("on node-2")
        assert_everything_once(cluster, daemon)
    finally:
        daemon.service.close()


def wait_for_a_half_crawled_source(daemon: Daemon, node: str, timeout_s: float = 120) -> str:
    """A source `node` holds the lock of and has stored a document for, but not all of them."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with daemon.service.database.transaction() as session:
            rows = session.execute(
                select(SourceRow.key, func.count(DocumentRow.id)).join(DocumentRow, DocumentRow.source_id == SourceRow.id)
                .where(SourceRow.lock_holder.like(f"% on {node}")).group_by(SourceRow.key)).all()
        if rows:
            return rows[0][0]
        time.sleep(0.05)
    raise AssertionError(f"{node} never got half way through a source")


def test_status_workers_shows_nodes_what_they_crawl_and_jobs_waiting(cluster):
    daemon = hand_out_each(cluster)  # no node yet: every job waits
    try:
        config_path = cluster.write_config(cluster.root / "daemon")
        shown = subprocess.run([sys.executable, "-m", "monitor.cli", "--config", str(config_path), "status",
                                "--workers", "--json"], capture_output=True, text=True, env=cluster.environment,
                               timeout=60)
        assert shown.returncode == 0, shown.stderr
        waiting = json.loads(shown.stdout)["jobs_waiting"]
        assert sorted(key for job in waiting for key in job["source_keys"]) == sorted(cluster.farm.source_keys())
        health = subprocess.run([sys.executable, "-m", "monitor.cli", "--config", str(config_path), "health", "--json"],
                                capture_output=True, text=True, env=cluster.environment, timeout=60)
        verdict = json.loads(health.stdout)
        assert verdict["workers"]["jobs_waiting"] == len(waiting) and verdict["workers"]["nodes"] == []
        assert any("no worker node alive" in problem for problem in verdict["problems"])
        cluster.start_node("node-1")
        wait_for_a_half_crawled_source(daemon, "node-1")
        text = subprocess.run([sys.executable, "-m", "monitor.cli", "--config", str(config_path), "status",
                               "--workers"], capture_output=True, text=True, env=cluster.environment, timeout=60)
        line = next(line for line in text.stdout.splitlines() if "node-1" in line)
        assert "working" in line and "-protocols" in line.split("crawling:")[1]
        assert "Worker nodes: 1 working of 1" in text.stdout
        waiting_now = int(re.search(r"Jobs waiting: (\d+); running: 1\b", text.stdout).group(1))
        assert SITES - 4 <= waiting_now <= SITES - 1
        assert text.stdout.count("queued") == waiting_now
    finally:
        daemon.service.close()


def test_workers_with_sqlite_is_one_config_error(tmp_path):
    path = tmp_path / "kommunvakt.toml"
    path.write_text('[workers]\nbroker_url = "amqp://guest:guest@127.0.0.1:5672//"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="must be PostgreSQL"):
        load_config(path, environ={})
    result = subprocess.run([sys.executable, "-m", "monitor.cli", "--config", str(path), "worker"],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 2 and "must be PostgreSQL" in result.stderr
    assert not Path(tmp_path / "data").exists() or not any((tmp_path / "data").iterdir())


def set_connections(database_url: str, allowed: bool) -> None:
    """Open or close the node's database to new connections; closing also ends the ones it has."""
    from sqlalchemy import create_engine, make_url, text

    from tests.support.postgres import POSTGRES_URL

    name = make_url(database_url).database
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {"true" if allowed else "false"}'))
        if not allowed:
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
    engine.dispose()


def messages_waiting(cluster: Cluster) -> int:
    from kombu import Connection

    with Connection(cluster.broker_url, connect_timeout=5) as connection:
        return connection.default_channel.queue_declare(cluster.queue, passive=True).message_count


def wait_for_log(cluster: Cluster, node: str, words: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if words in cluster.node_log(node):
            return
        time.sleep(0.25)
    raise AssertionError(f"{node} never logged {words!r}:\n{cluster.node_log(node)[-3000:]}")


def test_a_node_cut_off_from_the_database_stops_taking_work_and_says_so(cluster):
    from monitor.app.engine import CRAWL_TASK

    daemon = Daemon(open_service(cluster.load_config()))
    source = daemon.config.sources[0]
    cluster.start_node("node-1")
    try:
        wait_for_log(cluster, "node-1", f"{cluster.queue}@node-1 ready")
        with daemon.service.database.transaction() as session:
            job = store.queue_job(session, [source.key], utcnow(), stale_after_s=600)
        daemon.service.database.dispose()
        set_connections(cluster.database_url, allowed=False)
        wait_for_log(cluster, "node-1", "cannot reach the database")
        time.sleep(2)  # the consumer is cancelled through the broker
        celery_app(daemon.config.workers).send_task(CRAWL_TASK, args=[job.id, [source.key], None],
                                                    queue=cluster.queue)
        time.sleep(6)
        assert messages_waiting(cluster) == 1, "the node took no work while cut off"
        set_connections(cluster.database_url, allowed=True)
        wait_for_log(cluster, "node-1", "reaches the database again")
        wait_until_done(daemon, timeout_s=120)
        assert [outcome for outcome, _holder in runs_by_source(daemon)[source.key]] == ["ok"]
    finally:
        set_connections(cluster.database_url, allowed=True)
        daemon.service.close()
