"""Crawl workers in the database: node heartbeats, the jobs handed to them, and what `status --workers` and
`health` show about both (`workers_status`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import CrawlJobRow, CrawlRunRow, SourceRow, WorkerNodeRow

OPEN_STATES = ("queued", "running")


@dataclass(frozen=True)
class WorkerNode:
    name: str
    state: str  # working | stopped | silent (no heartbeat for a while: dead, or cut off from the database)
    started_at: datetime
    heartbeat_at: datetime
    crawling: tuple[str, ...]  # the sources whose lock it holds now


@dataclass(frozen=True)
class CrawlJob:
    id: int
    source_keys: tuple[str, ...]
    state: str
    queued_at: datetime
    node: str | None
    attempts: int


@dataclass(frozen=True)
class WorkersStatus:
    nodes: tuple[WorkerNode, ...]
    waiting: tuple[CrawlJob, ...]  # queued, not yet taken by a node (oldest first)
    running: tuple[CrawlJob, ...]

    @property
    def live_nodes(self) -> tuple[WorkerNode, ...]:
        return tuple(node for node in self.nodes if node.state == "working")


# --- nodes ------------------------------------------------------------------------------------


def beat(session: Session, name: str, holder: str, now: datetime, state: str = "working") -> None:
    """A node's heartbeat (it registers itself with its first one)."""
    row = session.get(WorkerNodeRow, name)
    if row is None or row.holder != holder:
        row = session.merge(WorkerNodeRow(name=name, holder=holder, started_at=now, heartbeat_at=now, state=state))
    row.heartbeat_at, row.state = now, state


def renew_leases_of(session: Session, holder: str, now: datetime, lease_s: int) -> list[str]:
    """Extend every source lock `holder` has; returns those sources' keys."""
    keys = list(session.scalars(select(SourceRow.key).where(SourceRow.lock_holder == holder).order_by(SourceRow.key)))
    if keys:
        session.execute(update(SourceRow).where(SourceRow.lock_holder == holder)
                        .values(lock_until=now + timedelta(seconds=lease_s))
                        .execution_options(synchronize_session=False))
    return keys


# --- jobs -------------------------------------------------------------------------------------


def queue_job(session: Session, source_keys: Sequence[str], now: datetime, stale_after_s: int) -> CrawlJob | None:
    """Record a job for the sources that have no open job (one younger than `stale_after_s`); None if none left."""
    waiting = open_source_keys(session, now, stale_after_s)
    keys = [key for key in source_keys if key not in waiting]
    if not keys:
        return None
    row = CrawlJobRow(source_keys=keys, queued_at=now, state="queued", attempts=0)
    session.add(row)
    session.flush()
    return _to_job(row)


def open_source_keys(session: Session, now: datetime, stale_after_s: int) -> set[str]:
    rows = session.scalars(select(CrawlJobRow).where(CrawlJobRow.state.in_(OPEN_STATES),
                                                     CrawlJobRow.queued_at > now - timedelta(seconds=stale_after_s)))
    return {key for row in rows for key in row.source_keys}


def drop_job(session: Session, job_id: int) -> None:
    """A job that never reached the broker."""
    row = session.get(CrawlJobRow, job_id)
    if row is not None:
        session.delete(row)


def start_job(session: Session, job_id: int, node: str, now: datetime) -> CrawlJob | None:
    """A node takes the job (again, after a node died with it); None for a job that is not in the database."""
    row = session.get(CrawlJobRow, job_id, with_for_update=True)
    if row is None:
        return None
    if row.state in OPEN_STATES:
        row.state, row.node, row.started_at, row.attempts = "running", node, now, row.attempts + 1
    return _to_job(row)


def finish_job(session: Session, job_id: int, now: datetime, error: str | None = None) -> None:
    row = session.get_one(CrawlJobRow, job_id)
    row.state, row.finished_at, row.error = ("failed" if error else "done"), now, error


def requeue_job(session: Session, job_id: int, source_keys: Sequence[str]) -> None:
    """The job waits again, for these of its sources (the others are done)."""
    row = session.get_one(CrawlJobRow, job_id)
    row.state, row.source_keys, row.node = "queued", list(source_keys), None


def crawled_since(session: Session, source_keys: Sequence[str], since: datetime) -> set[str]:
    """Sources with a run that started at or after `since` and ended (ok or failed): done for a job queued then."""
    query = (select(SourceRow.key).join(CrawlRunRow, CrawlRunRow.source_id == SourceRow.id)
             .where(SourceRow.key.in_(list(source_keys)), CrawlRunRow.started_at >= since,
                    CrawlRunRow.outcome.in_(("ok", "failed"))))
    return set(session.scalars(query))


# --- what status and health show --------------------------------------------------------------


def workers_status(session: Session, now: datetime, silent_after_s: int) -> WorkersStatus:
    """Nodes (a node without a heartbeat for `silent_after_s` is 'silent'), and the open jobs."""
    locks: dict[str, list[str]] = {}
    for key, holder in session.execute(select(SourceRow.key, SourceRow.lock_holder)
                                       .where(SourceRow.lock_holder.is_not(None)).order_by(SourceRow.key)):
        locks.setdefault(holder, []).append(key)
    nodes = tuple(_to_node(row, now, silent_after_s, locks.get(row.holder, []))
                  for row in session.scalars(select(WorkerNodeRow).order_by(WorkerNodeRow.name)))
    jobs = [_to_job(row) for row in session.scalars(select(CrawlJobRow).where(CrawlJobRow.state.in_(OPEN_STATES))
                                                    .order_by(CrawlJobRow.queued_at, CrawlJobRow.id))]
    return WorkersStatus(nodes, tuple(j for j in jobs if j.state == "queued"),
                         tuple(j for j in jobs if j.state == "running"))


def _to_node(row: WorkerNodeRow, now: datetime, silent_after_s: int, crawling: list[str]) -> WorkerNode:
    silent = row.state == "working" and (now - row.heartbeat_at).total_seconds() > silent_after_s
    return WorkerNode(row.name, "silent" if silent else row.state, row.started_at, row.heartbeat_at, tuple(crawling))


def _to_job(row: CrawlJobRow) -> CrawlJob:
    return CrawlJob(row.id, tuple(row.source_keys), row.state, row.queued_at, row.node, row.attempts)
