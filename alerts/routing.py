"""Which targets get which events, and the outbox rows (rendered for each target) an event causes.

The builders are pure: they return :class:`storage.NewAlert` values that
the caller inserts in the transaction that records the event.  Each alert's
idempotency key names the event and the target, so recording the same event
twice never queues a second message.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from alerts.channels import channel_for
from alerts.render import render_delivery_failure, render_health, render_new_mention, render_stance_change
from monitor.config import AlertTarget
from monitor.domain import (
    AlertRecord,
    EventType,
    MentionNotice,
    Municipality,
    NewAlert,
    SourceHealthNotice,
    SourceHealthStatus,
    SourceState,
    Stance,
    StanceChange,
)
from storage.outbox import insert_alert

DELIVERY_FAILED_PREFIX = "delivery_failed:"


def wants(target: AlertTarget, event: EventType, municipality_code: str | None, county: str | None,
          new_stance: Stance | None) -> bool:
    """Whether `target` asked for this event about this municipality (None: not about one) and stance."""
    return (event in target.events and in_scope(target, municipality_code, county)
            and (new_stance is None or not target.to_stances or new_stance in target.to_stances))


def in_scope(target: AlertTarget, municipality_code: str | None, county: str | None) -> bool:
    """A target restricted to municipalities and/or counties gets what concerns any of them."""
    if not (target.municipalities or target.counties) or (municipality_code is None and county is None):
        return True
    return municipality_code in target.municipalities or county in target.counties


def wants_any(target: AlertTarget, event: EventType, places: Iterable[Municipality]) -> bool:
    listed = list(places)
    if not listed:
        return wants(target, event, None, None, None)
    return any(wants(target, event, m.code, m.county, None) for m in listed)


# --- builders -------------------------------------------------------------------------------


def alerts_for_change(change: StanceChange, targets: Iterable[AlertTarget],
                      template_dir: Path | None = None) -> list[NewAlert]:
    """One alert per target that wants this change; none for a change held for review."""
    if change.held_for_review:
        return []
    chosen = [t for t in targets
              if wants(t, EventType.STANCE_CHANGE, change.municipality_code, change.county, change.new_stance)]
    return [_change_alert(change, t, template_dir) for t in chosen]


def _change_alert(change: StanceChange, target: AlertTarget, template_dir: Path | None) -> NewAlert:
    channel = channel_for(target.url)
    message = render_stance_change(change, target.language, channel.format, limit=channel.limit,
                                   template_dir=template_dir)
    return NewAlert(
        idempotency_key=f"stance_change:{change.id}:{target.name}", event_type=EventType.STANCE_CHANGE,
        target=target.name, title=message.title, body=message.body, municipality_code=change.municipality_code,
        payload={"stance_change_id": change.id, "format": channel.format.value},
    )


def alerts_for_mentions(notice: MentionNotice, targets: Iterable[AlertTarget],
                        template_dir: Path | None = None) -> list[NewAlert]:
    """One alert per document and target that wants new mentions in it."""
    if not notice.snippets:
        return []
    chosen = [t for t in targets if wants_any(t, EventType.NEW_MENTION, notice.municipalities)]
    return [_mention_alert(notice, t, template_dir) for t in chosen]


def _mention_alert(notice: MentionNotice, target: AlertTarget, template_dir: Path | None) -> NewAlert:
    channel = channel_for(target.url)
    message = render_new_mention(notice, target.language, channel.format, limit=channel.limit,
                                 template_dir=template_dir)
    code = notice.municipalities[0].code if len(notice.municipalities) == 1 else None
    return NewAlert(
        idempotency_key=f"new_mention:{notice.document_id}:{target.name}", event_type=EventType.NEW_MENTION,
        target=target.name, title=message.title, body=message.body, municipality_code=code,
        payload={"document_id": notice.document_id, "format": channel.format.value},
    )


def alerts_for_source_health(notice: SourceHealthNotice, targets: Iterable[AlertTarget],
                             template_dir: Path | None = None) -> list[NewAlert]:
    """One alert per target that follows source health; the crawl run id makes the key unique per event."""
    place = notice.municipality
    chosen = [t for t in targets if wants(t, EventType.SOURCE_HEALTH, place.code if place else None,
                                          (place.county or None) if place else None, None)]
    return [_health_alert(notice, t, template_dir) for t in chosen]


def _health_alert(notice: SourceHealthNotice, target: AlertTarget, template_dir: Path | None) -> NewAlert:
    channel = channel_for(target.url)
    message = render_health(notice, target.language, channel.format, limit=channel.limit, template_dir=template_dir)
    key = f"source_health:{notice.source_key}:{notice.status.value}:{_health_event_id(notice)}:{target.name}"
    return NewAlert(
        idempotency_key=key, event_type=EventType.SOURCE_HEALTH, target=target.name, title=message.title,
        body=message.body, municipality_code=notice.municipality.code if notice.municipality else None,
        payload={"source_key": notice.source_key, "status": notice.status.value, "format": channel.format.value},
    )


def _health_event_id(notice: SourceHealthNotice) -> str:
    if notice.run_id is not None:
        return str(notice.run_id)
    return notice.observed_at.isoformat() if notice.observed_at else "-"


def alerts_for_health(state: SourceState, name: str, event: SourceHealthStatus | str, targets: Iterable[AlertTarget], now: datetime,
                      county: str | None = None, template_dir: Path | None = None) -> list[NewAlert]:
    """Source-health alerts from a source's stored state (`event`: failing, stale or recovered).

    Without `county`, a target restricted to counties only hears about the source
    if it also lists the source's municipality.
    """
    return alerts_for_source_health(health_notice(state, name, event, now, county), targets, template_dir)


def health_notice(state: SourceState, name: str, event: SourceHealthStatus | str, now: datetime,
                  county: str | None = None) -> SourceHealthNotice:
    code = state.municipality_code
    place = Municipality(code=code, name=name, county=county or "") if code else None
    return SourceHealthNotice(
        source_key=state.key, status=SourceHealthStatus(event), municipality=place, error=state.last_error,
        consecutive_failures=state.consecutive_failures, last_success_at=state.last_success_at,
        observed_at=state.last_attempt_at or now,
    )


def alerts_for_delivery_failure(failed: AlertRecord, targets: Iterable[AlertTarget],
                                template_dir: Path | None = None) -> list[NewAlert]:
    """Ops alerts about an alert that could not be delivered: to source-health targets other than its own.

    An ops alert that itself fails raises no further ops alert, so two broken
    targets cannot keep notifying each other.
    """
    if failed.idempotency_key.startswith(DELIVERY_FAILED_PREFIX):
        return []
    chosen = [t for t in targets if t.name != failed.target and wants(t, EventType.SOURCE_HEALTH, None, None, None)]
    return [_delivery_failure_alert(failed, t, template_dir) for t in chosen]


def _delivery_failure_alert(failed: AlertRecord, target: AlertTarget, template_dir: Path | None) -> NewAlert:
    channel = channel_for(target.url)
    message = render_delivery_failure(failed, target.language, channel.format, limit=channel.limit,
                                      template_dir=template_dir)
    key = f"{DELIVERY_FAILED_PREFIX}{failed.id}:{failed.total_attempts}:{target.name}"
    return NewAlert(
        idempotency_key=key, event_type=EventType.SOURCE_HEALTH, target=target.name, title=message.title,
        body=message.body, municipality_code=failed.municipality_code,
        payload={"failed_alert_id": failed.id, "format": channel.format.value},
    )


def queue_alerts(session: Session, alerts: Iterable[NewAlert], now: datetime,
                 stance_change_id: int | None = None) -> int:
    """Insert alerts into the outbox in the caller's transaction; returns how many were new."""
    return sum(insert_alert(session, alert, now, stance_change_id) for alert in alerts)
