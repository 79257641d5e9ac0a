"""Stance changes and the alert outbox.

A change and the alert rows it causes are written in the caller's transaction,
so either both exist or neither does.  Delivery state lives on the alert row;
every attempt is its own row.

Delivery protocol (see ``alerts.dispatch``):

1. ``claim_due`` moves a due alert from ``pending`` to ``sending`` with a
   conditional UPDATE; only the dispatcher whose UPDATE matched owns it, so two
   dispatchers never send the same alert.
2. The owner sends it, then ``record_attempt`` records the outcome in its own
   transaction: ``sent``; or back to ``pending`` with exponential backoff; or
   ``failed`` after the last attempt.
3. A dispatcher killed between 1 and 2 leaves the alert ``sending``;
   ``release_stale_claims`` makes it pending again after a while.  If the kill
   came after the message left but before it was recorded, that message is
   sent once more: the at-most-one-duplicate window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from monitor.domain import (
    AlertRecord,
    AlertStatus,
    EventType,
    NewAlert,
    PendingAlert,
    Stance,
    StanceChange,
)
from storage.models import AlertAttemptRow, AlertRow, MunicipalityRow, StanceChangeRow
from storage.repository import observation

# --- typed values ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Backoff:
    """Wait ``base * 2**(attempts-1)`` after a failed attempt, never more than ``cap``."""

    base: timedelta = timedelta(minutes=1)
    cap: timedelta = timedelta(hours=6)

    def delay(self, attempts: int) -> timedelta:
        return min(self.cap, self.base * 2 ** max(attempts - 1, 0))


@dataclass(frozen=True)
class AttemptResult:
    """Where an alert stands after one recorded attempt."""

    alert_id: int
    status: AlertStatus
    attempts: int
    next_attempt_at: datetime | None


@dataclass(frozen=True)
class AttemptRecord:
    alert_id: int
    attempted_at: datetime
    ok: bool
    error: str | None


class UnknownAlert(KeyError):
    def __init__(self, alert_id: int):
        self.alert_id = alert_id
        super().__init__(f"no alert with id {alert_id}")


# --- changes --------------------------------------------------------------------------------


def record_change(session: Session, municipality_code: str, topic: str, old: Stance, new: Stance,
                  observation_id: int, status: str, now: datetime) -> int:
    row = StanceChangeRow(municipality_code=municipality_code, topic=topic, old_stance=old.value,
                          new_stance=new.value, observation_id=observation_id, created_at=now, status=status)
    session.add(row)
    session.flush()
    return row.id


def change_exists_for(session: Session, observation_id: int) -> bool:
    found = session.scalar(select(StanceChangeRow.id).where(StanceChangeRow.observation_id == observation_id))
    return found is not None


def stance_change(session: Session, change_id: int) -> StanceChange:
    """A stored change with its municipality and evidence, as the alerts package renders it."""
    row = session.get(StanceChangeRow, change_id)
    if row is None:
        raise KeyError(f"no stance change with id {change_id}")
    return _to_change(session, row)


def _to_change(session: Session, row: StanceChangeRow) -> StanceChange:
    place = session.get_one(MunicipalityRow, row.municipality_code)
    return StanceChange(
        id=row.id, municipality_code=row.municipality_code, municipality=place.name, county=place.county,
        topic=row.topic, old_stance=Stance(row.old_stance), new_stance=Stance(row.new_stance),
        observation=observation(session, row.observation_id), created_at=row.created_at,
        held_for_review=row.status == "held",
    )


# --- writing alerts -------------------------------------------------------------------------


def insert_alert(session: Session, alert: NewAlert, now: datetime, stance_change_id: int | None = None) -> bool:
    """Add an alert unless one with the same idempotency key exists.  Returns whether it was added."""
    if session.scalar(select(AlertRow.id).where(AlertRow.idempotency_key == alert.idempotency_key)):
        return False
    row = AlertRow(
        idempotency_key=alert.idempotency_key, event_type=alert.event_type.value, target=alert.target,
        stance_change_id=stance_change_id, municipality_code=alert.municipality_code, title=alert.title,
        body=alert.body, payload=alert.payload or {}, status="pending", attempts=0, next_attempt_at=now,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


# --- delivery state -------------------------------------------------------------------------


def claim_due(session: Session, now: datetime, worker: str, limit: int = 10) -> list[PendingAlert]:
    """Claim up to `limit` due pending alerts for `worker`; alerts another worker claimed first are skipped."""
    candidates = session.scalars(
        select(AlertRow.id)
        .where(AlertRow.status == AlertStatus.PENDING.value, AlertRow.next_attempt_at <= now)
        .order_by(AlertRow.next_attempt_at, AlertRow.id)
        .limit(limit)
    ).all()
    claimed = [alert_id for alert_id in candidates if _claim(session, alert_id, now, worker)]
    return [_to_pending(row) for row in _fresh_rows(session, claimed)]


def _claim(session: Session, alert_id: int, now: datetime, worker: str) -> bool:
    """The conditional UPDATE: it matches only while the alert is still pending."""
    result = session.execute(
        update(AlertRow)
        .where(AlertRow.id == alert_id, AlertRow.status == AlertStatus.PENDING.value)
        .values(status=AlertStatus.SENDING.value, claimed_by=worker, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _fresh_rows(session: Session, alert_ids: list[int]) -> list[AlertRow]:
    if not alert_ids:
        return []
    query = select(AlertRow).where(AlertRow.id.in_(alert_ids)).order_by(AlertRow.id)
    return list(session.scalars(query.execution_options(populate_existing=True)))


def _to_pending(row: AlertRow) -> PendingAlert:
    return PendingAlert(id=row.id, idempotency_key=row.idempotency_key, target=row.target,
                        event_type=EventType(row.event_type), title=row.title, body=row.body,
                        attempts=row.attempts)


def record_attempt(session: Session, alert_id: int, ok: bool, error: str | None, now: datetime,
                   max_attempts: int, backoff: Backoff | None = None, permanent: bool = False) -> AttemptResult:
    """Record one delivery attempt and move the alert to sent, pending (with backoff) or failed.

    `permanent` marks a failure that retrying cannot fix (the target is no longer configured).
    """
    row = _alert_row(session, alert_id)
    session.add(AlertAttemptRow(alert_id=alert_id, attempted_at=now, ok=ok, error=None if ok else error))
    row.attempts += 1
    row.claimed_by = row.claimed_at = None
    if ok or row.status == AlertStatus.SENT.value:
        _mark_sent(row, now)
    elif permanent or row.attempts >= max_attempts:
        row.status, row.last_error = AlertStatus.FAILED.value, error
    else:
        _schedule_retry(row, error, now + (backoff or Backoff()).delay(row.attempts))
    return AttemptResult(alert_id, AlertStatus(row.status), row.attempts,
                         row.next_attempt_at if row.status == AlertStatus.PENDING.value else None)


def _mark_sent(row: AlertRow, now: datetime) -> None:
    row.status, row.last_error = AlertStatus.SENT.value, None
    row.sent_at = row.sent_at or now


def _schedule_retry(row: AlertRow, error: str | None, when: datetime) -> None:
    row.status, row.last_error, row.next_attempt_at = AlertStatus.PENDING.value, error, when


def _alert_row(session: Session, alert_id: int) -> AlertRow:
    row = session.get(AlertRow, alert_id, populate_existing=True)
    if row is None:
        raise UnknownAlert(alert_id)
    return row


def release_stale_claims(session: Session, now: datetime, older_than: timedelta) -> int:
    """Alerts left 'sending' by a dispatcher that died go back to pending, due now.  Returns how many."""
    result = session.execute(
        update(AlertRow)
        .where(AlertRow.status == AlertStatus.SENDING.value, AlertRow.claimed_at <= now - older_than)
        .values(status=AlertStatus.PENDING.value, claimed_by=None, claimed_at=None, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def retry(session: Session, now: datetime, alert_id: int | None = None) -> int:
    """Make one alert (or, with no id, every failed or waiting alert) due now.

    A failed alert gets a fresh round of attempts; a sent or sending alert is left alone.
    Returns how many alerts were made due; raises UnknownAlert for an id that does not exist.
    """
    if alert_id is not None:
        _alert_row(session, alert_id)
    query = select(AlertRow).where(AlertRow.status.in_([AlertStatus.PENDING.value, AlertStatus.FAILED.value]))
    if alert_id is not None:
        query = query.where(AlertRow.id == alert_id)
    rows = list(session.scalars(query))
    for row in rows:
        _make_due(row, now)
    return len(rows)


def _make_due(row: AlertRow, now: datetime) -> None:
    if row.status == AlertStatus.FAILED.value:
        row.attempts = 0
    row.status, row.next_attempt_at = AlertStatus.PENDING.value, now


# --- reading alerts -------------------------------------------------------------------------


def list_alerts(session: Session, status: AlertStatus | None = None, target: str | None = None,
                event_type: EventType | None = None, limit: int = 100) -> list[AlertRecord]:
    """Alerts, newest first, optionally filtered."""
    query = _records_query()
    if status is not None:
        query = query.where(AlertRow.status == status.value)
    if target is not None:
        query = query.where(AlertRow.target == target)
    if event_type is not None:
        query = query.where(AlertRow.event_type == event_type.value)
    rows = session.execute(query.order_by(AlertRow.id.desc()).limit(limit))
    return [_to_record(row, total) for row, total in rows]


def alert_record(session: Session, alert_id: int) -> AlertRecord:
    found = session.execute(_records_query().where(AlertRow.id == alert_id)).first()
    if found is None:
        raise UnknownAlert(alert_id)
    return _to_record(found[0], found[1])


def _records_query():
    total = (select(func.count(AlertAttemptRow.id)).where(AlertAttemptRow.alert_id == AlertRow.id)
             .correlate(AlertRow).scalar_subquery())
    return select(AlertRow, total).execution_options(populate_existing=True)


def _to_record(row: AlertRow, total_attempts: int) -> AlertRecord:
    return AlertRecord(
        id=row.id, idempotency_key=row.idempotency_key, event_type=EventType(row.event_type),
        target=row.target, status=AlertStatus(row.status), attempts=row.attempts,
        total_attempts=total_attempts or 0, title=row.title, municipality_code=row.municipality_code,
        created_at=row.created_at, next_attempt_at=row.next_attempt_at, sent_at=row.sent_at,
        last_error=row.last_error, claimed_by=row.claimed_by,
    )


def attempts_of(session: Session, alert_id: int) -> list[AttemptRecord]:
    rows = session.scalars(select(AlertAttemptRow).where(AlertAttemptRow.alert_id == alert_id)
                           .order_by(AlertAttemptRow.id))
    return [AttemptRecord(r.alert_id, r.attempted_at, r.ok, r.error) for r in rows]


def count_by_status(session: Session) -> dict[AlertStatus, int]:
    """How many alerts are in each status (every status present, zero when none)."""
    counts = dict(session.execute(select(AlertRow.status, func.count()).group_by(AlertRow.status)).all())
    return {status: counts.get(status.value, 0) for status in AlertStatus}
