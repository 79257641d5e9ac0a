"""The distributed engine crawl jobs go through: Celery, with RabbitMQ (or Redis) as its broker.

The daemon records a job (storage.workers) and sends one task message per job; a worker node
(monitor.app.workers) runs it.  Messages are acknowledged late (`task_acks_late`), after the job has ended:
a node that dies mid-crawl never acknowledges, so the broker hands the message to another node, which
takes the sources up once the dead node's locks have run out (their lease).  One node takes one message at
a time (`worker_prefetch_multiplier = 1`), so no node sits on work another could do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from celery import Celery, Task
from kombu.utils.url import sanitize_url

from monitor.config import Config, WorkerSettings
from monitor.domain import SourceConfig
from storage.db import Database
from storage.workers import CrawlJob, drop_job, queue_job

CRAWL_TASK = "kommunvakt.crawl"
JobHandler = Callable[[Task, int, list[str], str | None], str]


class EngineError(RuntimeError):
    """The job could not be handed to the broker."""


def celery_app(settings: WorkerSettings) -> Celery:
    app = Celery("kommunvakt", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,  # acknowledged when the job has ended: a node's death hands it to another
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=settings.queue,
        task_ignore_result=True,  # outcomes are in the database (crawl_runs, crawl_jobs)
        task_serializer="json", accept_content=["json"],
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=10,
        worker_hijack_root_logger=False,
        worker_cancel_long_running_tasks_on_connection_loss=True,
    )
    return app


def register_crawl_task(app: Celery, handler: JobHandler) -> None:
    """The one task a node runs: crawl the job's sources (monitor.app.workers.Node.run_job)."""

    @app.task(name=CRAWL_TASK, bind=True, max_retries=None)
    def crawl(task: Task, job_id: int, source_keys: list[str], since: str | None = None) -> str:
        return handler(task, job_id, source_keys, since)


def broker_name(settings: WorkerSettings) -> str:
    """The broker's URL with its password masked: safe to log."""
    return sanitize_url(settings.broker_url)


def submit_crawl(app: Celery, database: Database, config: Config, sources: Sequence[SourceConfig], now: datetime,
                 since: date | None = None) -> CrawlJob | None:
    """Record a job for the sources that have none open and send it to the workers; None when all have one."""
    assert config.workers is not None
    with database.transaction() as session:
        job = queue_job(session, [s.key for s in sources], now, stale_after_s=open_job_limit(config))
    if job is None:
        return None
    try:
        app.send_task(CRAWL_TASK, args=[job.id, list(job.source_keys), since.isoformat() if since else None],
                      queue=config.workers.queue)
    except Exception as exc:  # noqa: BLE001 - kombu's connection errors vary by transport
        with database.transaction() as session:
            drop_job(session, job.id)
        raise EngineError(f"cannot hand the crawl of {', '.join(job.source_keys)} to the broker at "
                          f"{broker_name(config.workers)}: {type(exc).__name__}: {exc}") from exc
    return job


def submit_all(app: Celery, database: Database, config: Config, sources: Sequence[SourceConfig], now: datetime,
               since: date | None = None) -> list[CrawlJob]:
    """Many sources at once (a backfill, every source now): jobs of `[workers] batch_size` sources each, so a
    node pays a crawl child's start-up once per batch (crawler.run), as `crawl --all` does on one machine."""
    assert config.workers is not None
    size = config.workers.batch_size
    jobs = [submit_crawl(app, database, config, sources[i:i + size], now, since) for i in range(0, len(sources), size)]
    return [job for job in jobs if job is not None]


def open_job_limit(config: Config) -> int:
    """A job open longer than this no longer stops its sources being queued again (its message was lost)."""
    assert config.workers is not None
    return 2 * config.crawl.timeout_seconds + config.workers.lease_seconds
