"""Held stance changes: a person approves (then it is announced) or rejects them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from monitor.domain import Stance
from storage.models import StanceChangeRow
from storage.repository import observation, set_current_stance


class NotHeld(LookupError):
    pass


def held_change(session: Session, change_id: int) -> StanceChangeRow:
    row = session.get(StanceChangeRow, change_id)
    if row is None or row.status != "held":
        raise NotHeld(f"no held stance change with id {change_id}")
    return row


def approve(session: Session, change_id: int, now: datetime) -> tuple[Stance, Stance, int]:
    """Mark a held change announced and make its stance current; returns (old, new, observation id)."""
    row = held_change(session, change_id)
    row.status = "announced"
    set_current_stance(session, row.municipality_code, row.topic, Stance(row.new_stance), row.observation_id, now)
    return Stance(row.old_stance), Stance(row.new_stance), row.observation_id


def reject(session: Session, change_id: int) -> None:
    held_change(session, change_id).status = "rejected"


__all__ = ["NotHeld", "approve", "reject", "held_change", "observation"]
