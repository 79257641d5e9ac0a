"""`kommunvakt run`: one APScheduler process that crawls, analyses and dispatches.

Crawls are child processes; the scheduler itself stays small.  Run times live
in the database so a restart neither skips a due crawl nor runs everything at
once.  SIGTERM/SIGINT stop scheduling, give running crawls a grace period, then
end them.
"""

from __future__ import annotations

import logging
import signal
import threading

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from alerts.digest import DigestFrequency, queue_digests
from monitor.app import schedule
from monitor.app.clock import utcnow
from monitor.app.crawling import ChildProcesses, crawl_source
from monitor.app.liveness import beat
from monitor.app.locks import holder_alive, holder_name
from monitor.app.rounds import analyse_check_dispatch
from monitor.app.service import Service, open_service
from monitor.app.site.publish import refresh_site
from monitor.app.systemd import Notifier
from monitor.config import Config
from monitor.domain import EventType, SourceConfig
from storage import repository as repo
from storage.repository import SourceLocked

log = logging.getLogger("kommunvakt.daemon")


class Daemon:
    def __init__(self, service: Service):
        self.service = service
        self.config = service.config
        self.children = ChildProcesses()
        self.stopping = threading.Event()
        self.work_lock = threading.Lock()  # analysis and dispatch never run twice at once
        self.notifier = Notifier(self.config.env)
        self.started_at = utcnow()
        self.engine = None  # the Celery app, when crawls go to workers ([workers] in the config)
        self.scheduler = BackgroundScheduler(
            timezone=schedule.TIMEZONE,
            executors={"crawls": ThreadPoolExecutor(self.config.daemon.max_concurrent_crawls),
                       "default": ThreadPoolExecutor(2), "heartbeat": ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        )

    def start(self) -> None:
        self._recover()
        enabled = [source for source in self.config.sources if source.enabled]
        for source in enabled:
            self._schedule_source(source)
        self.scheduler.add_job(self.analyse_and_dispatch, "interval", seconds=self.config.daemon.dispatch_every_s,
                               id="analyse-dispatch", next_run_time=utcnow())
        self.scheduler.add_job(self.queue_digests, "interval", minutes=10, id="digests", next_run_time=utcnow())
        self.scheduler.add_job(self.heartbeat, "interval", id="heartbeat", executor="heartbeat",
                               seconds=self.notifier.ping_every_s(self.config.daemon.heartbeat_every_s),
                               next_run_time=utcnow())
        self.scheduler.start()
        self.notifier.notify("READY=1")
        log.info("daemon started: %d sources scheduled", len(enabled))
        for job in self.scheduler.get_jobs():
            log.debug("%s: next run %s", job.id, job.next_run_time.isoformat() if job.next_run_time else "never")

    def _recover(self) -> None:
        with self.service.database.transaction() as session:
            released = repo.abandon_stale_runs(session, utcnow(), older_than_s=self.config.crawl.timeout_seconds + 300,
                                               holder_alive=holder_alive)
        if released:
            log.warning("recorded %d crawl runs left unfinished by an earlier process as crashed", released)

    def _schedule_source(self, source: SourceConfig) -> None:
        with self.service.database.transaction() as session:
            last = repo.source_state(session, source.key).last_attempt_at
        now = utcnow()
        trigger = schedule.trigger_for(source, last, now)
        next_run = schedule.catch_up(source.key, now) if schedule.missed_cron_run(source, last, now) else None
        self.scheduler.add_job(self.crawl_job, trigger, args=(source,), id=f"crawl:{source.key}",
                               executor="crawls", **({"next_run_time": next_run} if next_run else {}))

    def crawl_job(self, source: SourceConfig) -> None:
        if self.stopping.is_set():
            return
        if self.config.workers is not None:  # the engine's workers crawl it (monitor.app.engine)
            self._hand_to_workers(source)
            return
        try:
            outcome = crawl_source(self.service.database, self.config, source, holder_name("daemon"),
                                   children=self.children)
            log.info("crawl %s: %s, %d seen, %d new", source.key, outcome.outcome, outcome.documents_seen,
                     outcome.documents_new)
        except SourceLocked as exc:
            log.info("crawl %s skipped: %s", source.key, exc)
        except Exception:  # noqa: BLE001 - one source's failure must not stop the daemon
            log.exception("crawl %s failed unexpectedly", source.key)
        if not self.stopping.is_set():
            self.scheduler.add_job(self.analyse_and_dispatch, id="analyse-after-crawl", replace_existing=True)

    def _hand_to_workers(self, source: SourceConfig) -> None:
        from monitor.app.engine import EngineError, celery_app, submit_crawl

        if self.engine is None:
            self.engine = celery_app(self.config.workers)
        try:
            job = submit_crawl(self.engine, self.service.database, self.config, [source], utcnow())
            log.info("crawl %s: %s", source.key, f"job {job.id} handed to the workers" if job else
                     "a job for it is still waiting or running")
        except EngineError as exc:
            log.error("crawl %s not handed out: %s; tried again at its next time", source.key, exc)

    def analyse_and_dispatch(self) -> None:
        with self.work_lock:
            changed = False
            try:
                report = analyse_check_dispatch(self.service, "daemon")
                changed = bool(report.analysis.changes) | bool(report.health_events)
            except Exception:  # noqa: BLE001
                log.exception("analysis or dispatch failed; will retry on the next round")
            refresh_site(self.service, changed)  # after a recorded change (or when none was built yet)

    def heartbeat(self) -> None:
        """The heartbeat `kommunvakt health` reads, and systemd's watchdog ping (the scheduler is alive)."""
        try:
            beat(self.service.database, holder_name("daemon"), self.started_at, utcnow())
        except Exception:  # noqa: BLE001 - a database that is away for a moment must not stop the daemon
            log.exception("cannot write the heartbeat; `kommunvakt health` will say so if it lasts")
        self.notifier.notify("WATCHDOG=1")

    def queue_digests(self) -> None:
        now = utcnow()
        for target in digest_targets_due(self.config, now):
            try:
                queue_digests(self.service.database, [target], now, DigestFrequency(target.digest),
                              self.service.topic.name, self.config.alerts.templates_dir)
            except Exception:  # noqa: BLE001
                log.exception("digest for %s failed; will retry", target.name)

    def stop(self) -> None:
        self.stopping.set()
        self.notifier.notify("STOPPING=1")
        log.info("stopping: no new crawls; waiting up to %d s for running crawls",
                 self.config.daemon.shutdown_grace_s)
        waiter = threading.Thread(target=self.scheduler.shutdown, kwargs={"wait": True}, daemon=True)
        waiter.start()
        waiter.join(self.config.daemon.shutdown_grace_s)
        if waiter.is_alive():
            log.warning("grace period over: ending %d running crawls", len(self.children))
            self.children.kill_all()
            waiter.join(30)


def digest_targets_due(config: Config, now) -> list:
    """Targets whose digest time of day (Europe/Stockholm) has passed; queueing is idempotent per period."""
    local = now.astimezone(schedule.TIMEZONE).strftime("%H:%M")
    return [t for t in config.alerts.targets if EventType.DIGEST in t.events and local >= t.digest_time]


def run_daemon(config: Config) -> int:
    service = open_service(config)
    daemon = Daemon(service)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    daemon.start()
    while not stop.wait(1.0):
        pass
    daemon.stop()
    service.close()
    log.info("stopped")
    return 0
