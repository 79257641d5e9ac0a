"""What `kommunvakt health` reads: the daemon's heartbeat, alerts past due, failing sources."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from storage.models import AlertRow, HeartbeatRow, SourceRow


@dataclass(frozen=True)
class Heartbeat:
    host: str
    holder: str
    started_at: datetime
    beat_at: datetime


@dataclass(frozen=True)
class OverdueAlerts:
    count: int
    oldest_due_at: datetime | None


def record_heartbeat(session: Session, host: str, holder: str, started_at: datetime, now: datetime) -> None:
    row = session.get(HeartbeatRow, host)
    if row is None:
        session.add(HeartbeatRow(host=host, holder=holder, started_at=started_at, beat_at=now))
        return
    row.holder, row.started_at, row.beat_at = holder, started_at, now


def latest_heartbeat(session: Session) -> Heartbeat | None:
    row = session.scalars(select(HeartbeatRow).order_by(HeartbeatRow.beat_at.desc()).limit(1)).first()
    return Heartbeat(row.host, row.holder, row.started_at, row.beat_at) if row else None


def overdue_alerts(session: Session, due_before: datetime) -> OverdueAlerts:
    """Alerts still waiting (or stuck sending) whose delivery was due before `due_before`."""
    waiting = or_(
        (AlertRow.status == "pending") & (AlertRow.next_attempt_at < due_before),
        (AlertRow.status == "sending") & (AlertRow.claimed_at < due_before),
    )
    count, oldest = session.execute(select(func.count(), func.min(AlertRow.next_attempt_at)).where(waiting)).one()
    return OverdueAlerts(count, oldest)


def failing_source_keys(session: Session, threshold: int) -> set[str]:
    """Sources whose health is failing, or that failed `threshold` runs in a row."""
    rows = session.scalars(select(SourceRow.key).where(
        or_(SourceRow.health == "failing", SourceRow.consecutive_failures >= threshold)))
    return set(rows)
