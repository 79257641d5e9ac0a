"""Stance changes and the alert outbox.

A change and the alert rows it causes are written in the caller's transaction,
so either both exist or neither does.  Delivery state lives on the alert row;
every attempt is its own row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from monitor.domain import EventType, Stance
from storage.models import AlertRow, StanceChangeRow


@dataclass(frozen=True)
class NewAlert:
    idempotency_key: str
    event_type: EventType
    target: str
    title: str
    body: str
    municipality_code: str | None = None
    payload: dict | None = None


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
