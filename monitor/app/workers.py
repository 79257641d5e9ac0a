"""A crawl worker node (`kommunvakt worker`): takes crawl jobs from the engine (monitor.app.engine) and runs
them with the same code as the daemon's own crawls (monitor.app.crawling.crawl_batch: one `crawler.run` child
per job, batches, limits, one run record per source), writing to the shared PostgreSQL.

Exactly once, also when a node dies:
- a source is crawled by one node at a time: its lock (storage.repository.start_run) is a lease the node
  renews from its heartbeat thread; the crawl child dies with the node (PR_SET_PDEATHSIG), so a dead node
  writes nothing after its leases run out;
- the broker gives a dead node's job to another node; that node finds the sources still locked, waits for
  the lease to run out (a Celery retry), then crawls them: documents the dead node stored are known and not
  fetched again, sources it had finished for this job are left out (storage.workers.crawled_since);
- observations and alerts are made by the daemon's analysis from stored documents, once per document.
A node that cannot reach the database stops taking work, says so in its log, ends its crawls and takes
work again when the database answers.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from celery import Task
from celery.exceptions import Reject
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from monitor.app.crawling import ChildProcesses, CrawlOutcome, crawl_batch
from monitor.app.engine import broker_name, celery_app, register_crawl_task
from monitor.config import Config
from monitor.domain import SourceConfig
from storage import repository as repo
from storage import workers as store
from storage.db import Database, StorageError, open_database

log = logging.getLogger("kommunvakt.worker")
LOCK_RETRIES = 5  # a source still locked after this many leases is crawled by someone alive: the job ends


def utcnow() -> datetime:
    return datetime.now(UTC)


def default_node_name() -> str:
    return socket.gethostname()


class Node:
    def __init__(self, config: Config, name: str, database: Database,
                 on_lost: Callable[[], None] = lambda: None, on_back: Callable[[], None] = lambda: None):
        assert config.workers is not None
        self.config, self.lease_s = config, config.workers.lease_seconds
        self.name, self.holder = name, f"worker pid {os.getpid()} on {name}"
        self.database = database
        self.children = ChildProcesses(die_with_parent=True)
        self.database_ok = True
        self.on_lost, self.on_back = on_lost, on_back
        self._stopping = threading.Event()
        self._state_lock = threading.Lock()

    # --- heartbeat: the node's row and its leases ---------------------------------------------------

    def start_heartbeat(self) -> threading.Thread:
        thread = threading.Thread(target=self._beat_until_stopped, name="heartbeat", daemon=True)
        thread.start()
        return thread

    def _beat_until_stopped(self) -> None:
        interval = max(1.0, self.lease_s / 4)
        while not self._stopping.wait(interval if self.database_ok else 1.0):
            self.heartbeat()

    def heartbeat(self, state: str = "working") -> bool:
        try:
            with self.database.transaction() as session:
                store.renew_leases_of(session, self.holder, utcnow(), self.lease_s)
                store.beat(session, self.name, self.holder, utcnow(), state)
        except SQLAlchemyError as exc:
            self.database_lost(exc)
            return False
        self._database_back()
        return True

    def database_lost(self, exc: Exception) -> None:
        with self._state_lock:
            was_ok, self.database_ok = self.database_ok, False
        if was_ok:
            log.error("node %s cannot reach the database (%s): it stops taking work and ends its %d running "
                      "crawls; their sources are taken up by another node when their leases run out",
                      self.name, _problem(exc), len(self.children))
            self.children.kill_all()
            self.on_lost()

    def _database_back(self) -> None:
        with self._state_lock:
            was_lost, self.database_ok = not self.database_ok, True
        if was_lost:
            log.warning("node %s reaches the database again: it takes work again", self.name)
            self.on_back()

    def stop(self) -> None:
        self._stopping.set()
        self.heartbeat(state="stopped")

    # --- jobs ----------------------------------------------------------------------------------------

    def run_job(self, task: Task, job_id: int, source_keys: list[str], since: str | None) -> str:
        """The Celery task's body; a database problem puts the job back for another node."""
        if not self.database_ok:
            raise Reject("this node cannot reach the database", requeue=True)
        try:
            return self._run_job(task, job_id, source_keys, date.fromisoformat(since) if since else None)
        except (SQLAlchemyError, StorageError) as exc:
            self.database_lost(exc)
            raise Reject(f"database problem: {_problem(exc)}", requeue=True) from exc

    def _run_job(self, task: Task, job_id: int, keys: list[str], since: date | None) -> str:
        with self.database.transaction() as session:
            job = store.start_job(session, job_id, self.name, utcnow())
            done = store.crawled_since(session, keys, job.queued_at) if job else set()
        if job is None:
            log.warning("job %d is not in the database: ignored", job_id)
            return "unknown job"
        sources, unknown = self._sources([key for key in keys if key not in done])
        if done:
            log.info("job %d: %s already crawled for this job (by a node that died before it ended)",
                     job_id, ", ".join(sorted(done)))
        outcomes = self._crawl(sources, since)
        locked = [o.source_key for o in outcomes if o.outcome == "locked"]
        if locked and task.request.retries < LOCK_RETRIES:
            return self._wait_for_leases(task, job_id, locked, since)
        error = "; ".join([f"no source {key!r} in this node's configuration" for key in unknown]
                          + [f"{o.source_key}: {'; '.join(o.errors)}" for o in outcomes if o.outcome == "locked"])
        with self.database.transaction() as session:
            store.finish_job(session, job_id, utcnow(), error[:2000] or None)
        return ", ".join(f"{o.source_key} {o.outcome}" for o in outcomes) or "nothing to crawl"

    def _sources(self, keys: Sequence[str]) -> tuple[list[SourceConfig], list[str]]:
        sources, unknown = [], []
        for key in keys:
            try:
                sources.append(self.config.source(key))
            except KeyError:
                unknown.append(key)
        return sources, unknown

    def _crawl(self, sources: list[SourceConfig], since: date | None) -> list[CrawlOutcome]:
        if not sources:
            return []
        self._sync(sources)
        outcomes = crawl_batch(self.database, self.config, sources, self.holder, children=self.children,
                               since=since, lease_s=self.lease_s)
        for outcome in outcomes:
            log.info("crawl %s on %s: %s, %d seen, %d new", outcome.source_key, self.name, outcome.outcome,
                     outcome.documents_seen, outcome.documents_new)
        return outcomes

    def _sync(self, sources: list[SourceConfig]) -> None:
        """Sources the daemon has not written yet (the configs agree): another node may write them at once."""
        for _attempt in range(2):
            try:
                with self.database.transaction() as session:
                    repo.sync_sources(session, sources, utcnow())
                return
            except IntegrityError:
                continue

    def _wait_for_leases(self, task: Task, job_id: int, locked: list[str], since: date | None) -> str:
        """Locked sources (a node died with them, or one crawls them now): try again when the leases run out."""
        now = utcnow()
        with self.database.transaction() as session:
            locks = [repo.current_lock(session, key) for key in locked]
            store.requeue_job(session, job_id, locked)
        ends = [lock.until for lock in locks if lock is not None and lock.until is not None]
        wait = max([(end - now).total_seconds() for end in ends] + [0.0]) + 1.0
        log.info("job %d: %s locked by another process; trying again in %.0f s, when the lease runs out",
                 job_id, ", ".join(locked), wait)
        raise task.retry(args=(job_id, locked, since.isoformat() if since else None), countdown=wait)


def _problem(exc: Exception) -> str:
    cause = getattr(exc, "orig", None) or exc
    return f"{type(cause).__name__}: {' '.join(str(cause).split())[:300]}"


def run_worker(config: Config, name: str, concurrency: int = 1) -> int:
    """Start a node: register it, keep its heartbeat, and take jobs until SIGTERM (Celery's warm shutdown)."""
    assert config.workers is not None
    app = celery_app(config.workers)
    hostname = f"{config.workers.queue}@{name}"  # unique per deployment sharing a broker
    queue = config.workers.queue
    database = open_database(config.database_url)
    node = Node(config, name, database,
                on_lost=lambda: _broadcast(app.control.cancel_consumer, queue, hostname),
                on_back=lambda: _broadcast(app.control.add_consumer, queue, hostname))
    register_crawl_task(app, node.run_job)
    node.heartbeat()
    node.start_heartbeat()
    log.info("node %s takes crawl jobs from %s (queue %s, lease %d s)", name, broker_name(config.workers), queue,
             node.lease_s)
    try:
        app.worker_main(["worker", f"--hostname={hostname}", "--pool=threads", f"--concurrency={concurrency}",
                         f"--queues={queue}", "--without-mingle", "--without-gossip", "--loglevel=INFO"])
    finally:
        node.stop()
        database.dispose()
    return 0


def _broadcast(control: Callable[..., object], queue: str, hostname: str) -> None:
    """Tell this node's own consumer, through the broker, to stop or start taking messages from `queue`."""
    try:
        control(queue, destination=[hostname])
    except Exception as exc:  # noqa: BLE001 - the broker is down too: the node takes nothing anyway
        log.warning("could not change what %s takes from %s: %s", hostname, queue, exc)

