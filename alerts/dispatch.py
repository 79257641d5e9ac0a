"""Delivering the outbox through apprise.

One alert at a time: claim it (its own transaction), send it, record the
attempt (its own transaction, right after sending).  Whether it arrived is
decided only by the value apprise's ``notify()`` returns; apprise's log lines
are kept, masked, as the reason a user sees.  An alert that used its last
attempt is marked failed and, in the same transaction, an ops alert is queued
for the targets that follow ``source_health`` (never the failed target).

A dispatcher killed after sending but before recording leaves its alert
``sending``; after ``stale_after`` the next run releases it and sends it again:
at most one duplicate, never a loss.  Two dispatchers running at once never
send the same alert (see :func:`storage.outbox.claim_due`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import apprise
from sqlalchemy.orm import Session

from alerts.channels import APPRISE_LOGGER, channel_for, install_log_redaction, mask_url, redact
from alerts.markup import one_line, shorten
from alerts.render import render_test
from alerts.routing import alerts_for_delivery_failure, queue_alerts
from monitor.config import AlertTarget
from monitor.domain import AlertMessage, AlertStatus, PendingAlert
from storage.db import Database
from storage.outbox import AttemptResult, Backoff, alert_record, claim_due, record_attempt, release_stale_claims

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 20.0
DEFAULT_STALE_AFTER = timedelta(minutes=15)
MAX_ERROR_CHARS = 500

__all__ = ["Delivery", "DeliveryOutcome", "DispatchReport", "deliver", "dispatch_due", "mask_url", "send_test",
           "check_target"]


@dataclass(frozen=True)
class Delivery:
    ok: bool
    error: str | None = None  # masked; why apprise reported a failure


@dataclass(frozen=True)
class DeliveryOutcome:
    alert_id: int
    target: str
    status: AlertStatus
    attempts: int
    error: str | None = None


@dataclass(frozen=True)
class DispatchReport:
    outcomes: tuple[DeliveryOutcome, ...] = ()
    released: int = 0  # stale claims of a dead dispatcher made pending again
    ops_alerts: int = 0  # ops alerts queued about alerts that failed for good

    def count(self, status: AlertStatus) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status is status)

    @property
    def attempted(self) -> int:
        return len(self.outcomes)

    @property
    def sent(self) -> int:
        return self.count(AlertStatus.SENT)

    @property
    def waiting(self) -> int:
        return self.count(AlertStatus.PENDING)

    @property
    def failed(self) -> int:
        return self.count(AlertStatus.FAILED)


@dataclass(frozen=True)
class _Job:
    database: Database
    targets: tuple[AlertTarget, ...]
    now: datetime
    worker: str
    max_attempts: int
    backoff: Backoff
    template_dir: Path | None

    def target(self, name: str) -> AlertTarget | None:
        return next((t for t in self.targets if t.name == name), None)


# --- dispatching ----------------------------------------------------------------------------


def dispatch_due(database: Database, targets: Iterable[AlertTarget], now: datetime, worker: str,
                 max_attempts: int, *, backoff: Backoff | None = None, limit: int = 100,
                 stale_after: timedelta = DEFAULT_STALE_AFTER, template_dir: Path | None = None) -> DispatchReport:
    """Deliver every alert due at `now` (at most `limit`), recording each attempt as it happens."""
    job = _Job(database, tuple(targets), now, worker, max_attempts, backoff or Backoff(), template_dir)
    released = _release_stale(job, stale_after)
    outcomes: list[DeliveryOutcome] = []
    ops_alerts = 0
    while len(outcomes) < limit and (alert := _claim_next(job)) is not None:
        outcome, queued = _handle(job, alert)
        outcomes.append(outcome)
        ops_alerts += queued
    return DispatchReport(tuple(outcomes), released, ops_alerts)


def _release_stale(job: _Job, stale_after: timedelta) -> int:
    with job.database.transaction() as session:
        released = release_stale_claims(session, job.now, stale_after)
    if released:
        log.warning("released %d alert(s) left 'sending' by a dispatcher that stopped", released)
    return released


def _claim_next(job: _Job) -> PendingAlert | None:
    with job.database.transaction() as session:
        claimed = claim_due(session, job.now, job.worker, limit=1)
    return claimed[0] if claimed else None


def _handle(job: _Job, alert: PendingAlert) -> tuple[DeliveryOutcome, int]:
    target = job.target(alert.target)
    if target is None:
        delivery = Delivery(False, f"target {alert.target!r} is not configured (any more)")
    else:
        delivery = deliver(target, AlertMessage(alert.title, alert.body))
    with job.database.transaction() as session:
        result = record_attempt(session, alert.id, delivery.ok, delivery.error, job.now, job.max_attempts,
                                job.backoff, permanent=target is None)
        queued = _queue_ops_alerts(session, job, result)
    _log_outcome(alert, target, delivery, result)
    return DeliveryOutcome(alert.id, alert.target, result.status, result.attempts, delivery.error), queued


def _queue_ops_alerts(session: Session, job: _Job, result: AttemptResult) -> int:
    if result.status is not AlertStatus.FAILED:
        return 0
    failed = alert_record(session, result.alert_id)
    return queue_alerts(session, alerts_for_delivery_failure(failed, job.targets, job.template_dir), job.now)


def _log_outcome(alert: PendingAlert, target: AlertTarget | None, delivery: Delivery,
                 result: AttemptResult) -> None:
    via = mask_url(target.url) if target else "no configured target"
    if result.status is AlertStatus.SENT:
        log.info("alert %d (%s) sent to %s via %s", alert.id, alert.event_type.value, alert.target, via)
    elif result.status is AlertStatus.PENDING:
        log.warning("alert %d to %s via %s failed (attempt %d), next attempt at %s: %s", alert.id, alert.target,
                    via, result.attempts, f"{result.next_attempt_at:%Y-%m-%d %H:%M:%S} UTC", delivery.error)
    else:
        log.error("alert %d to %s via %s failed for good after %d attempt(s): %s", alert.id, alert.target, via,
                  result.attempts, delivery.error)


# --- sending --------------------------------------------------------------------------------


def deliver(target: AlertTarget, message: AlertMessage) -> Delivery:
    """Send one message to one target with a fresh apprise instance; success is notify()'s return value."""
    install_log_redaction()
    plugin = _plugin(target.url)
    if plugin is None:
        return Delivery(False, f"not a usable apprise URL: {mask_url(target.url)}")
    notifier = apprise.Apprise()
    notifier.add(plugin)
    body_format = channel_for(target.url).format.notify_format
    with _apprise_warnings() as warnings:
        try:
            sent = notifier.notify(body=message.body, title=message.title, body_format=body_format)
        except Exception as exc:  # noqa: BLE001 - a plugin bug must not stop the other alerts
            return Delivery(False, _reason([f"{type(exc).__name__}: {exc}"], target.url))
    return Delivery(True) if sent is True else Delivery(False, _reason(warnings, target.url))


def _plugin(url: str) -> apprise.NotifyBase | None:
    plugin = apprise.Apprise.instantiate(url)
    if plugin is not None:
        plugin.socket_connect_timeout = CONNECT_TIMEOUT_S
        plugin.socket_read_timeout = READ_TIMEOUT_S
    return plugin


def _reason(lines: list[str], url: str) -> str:
    text = "; ".join(one_line(line) for line in lines[-3:]) or "apprise reported that the message was not sent"
    return shorten(redact(text, url), MAX_ERROR_CHARS)


class _ThreadWarnings(logging.Handler):
    """Collects apprise's warnings from the current thread only (dispatchers may run side by side)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.lines.append(record.getMessage())


@contextmanager
def _apprise_warnings() -> Iterator[list[str]]:
    handler = _ThreadWarnings()
    logger = logging.getLogger(APPRISE_LOGGER)
    logger.addHandler(handler)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)


# --- operator test --------------------------------------------------------------------------


def check_target(target: AlertTarget, now: datetime | None = None, template_dir: Path | None = None) -> Delivery:
    """Send a test message through the real channel; the Delivery says plainly whether it went."""
    channel = channel_for(target.url)
    message = render_test(target.name, now or datetime.now(UTC), target.language, channel.format,
                          template_dir=template_dir)
    delivery = deliver(target, message)
    outcome = "sent" if delivery.ok else f"FAILED: {delivery.error}"
    log.info("test message to %s via %s: %s", target.name, mask_url(target.url), outcome)
    return delivery


def send_test(target: AlertTarget, now: datetime | None = None, template_dir: Path | None = None) -> bool:
    return check_target(target, now, template_dir).ok

