"""Daily or weekly digests: one message per target summing up a period, nothing when there is nothing to say.

Run :func:`queue_digests` at the configured time (or every hour: it is
idempotent, the key ``digest:<target>:<period start date>`` queues each digest
once); the dispatcher delivers it like any other alert.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from alerts.channels import channel_for
from alerts.labels import DISPLAY_ZONE
from alerts.render import render_digest
from alerts.routing import in_scope, queue_alerts
from monitor.config import AlertTarget
from monitor.domain import DigestContent, EventType, MentionNotice, NewAlert, SourceHealthNotice, StanceChange
from storage.activity import digest_content
from storage.db import Database

DEFAULT_TOPIC = "atervandring"


class DigestFrequency(enum.StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"


@dataclass(frozen=True)
class DigestPeriod:
    start: datetime  # inclusive, UTC
    end: datetime  # exclusive, UTC
    first_day: date  # in Europe/Stockholm


def digest_period(now: datetime, frequency: DigestFrequency = DigestFrequency.DAILY) -> DigestPeriod:
    """The last complete day (or Monday-to-Sunday week) before `now`, in Swedish time."""
    today = now.astimezone(DISPLAY_ZONE).date()
    if frequency is DigestFrequency.DAILY:
        end_day, length = today, 1
    else:
        end_day, length = today - timedelta(days=today.weekday()), 7
    start_day = end_day - timedelta(days=length)
    return DigestPeriod(_midnight(start_day), _midnight(end_day), start_day)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=DISPLAY_ZONE).astimezone(UTC)


def for_target(content: DigestContent, target: AlertTarget) -> DigestContent:
    """Only what the target would have been told about (its municipalities, counties and stances)."""
    return replace(
        content,
        changes=tuple(c for c in content.changes if _wants_change(target, c)),
        mentions=tuple(m for m in content.mentions if _wants_mention(target, m)),
        failing_sources=tuple(s for s in content.failing_sources if _wants_source(target, s)),
    )


def _wants_change(target: AlertTarget, change: StanceChange) -> bool:
    wanted_stance = not target.to_stances or change.new_stance in target.to_stances
    return wanted_stance and in_scope(target, change.municipality_code, change.county)


def _wants_mention(target: AlertTarget, notice: MentionNotice) -> bool:
    places = notice.municipalities
    return not places or any(in_scope(target, m.code, m.county) for m in places)


def _wants_source(target: AlertTarget, notice: SourceHealthNotice) -> bool:
    place = notice.municipality
    return in_scope(target, place.code if place else None, place.county if place else None)


def digest_alert(content: DigestContent, target: AlertTarget, first_day: date,
                 template_dir: Path | None = None) -> NewAlert | None:
    """The digest alert for one target, or None when there is nothing to tell it."""
    mine = for_target(content, target)
    if mine.is_empty:
        return None
    channel = channel_for(target.url)
    message = render_digest(mine, target.language, channel.format, limit=channel.limit, template_dir=template_dir)
    return NewAlert(
        idempotency_key=f"digest:{target.name}:{first_day.isoformat()}", event_type=EventType.DIGEST,
        target=target.name, title=message.title, body=message.body,
        payload={"changes": len(mine.changes), "mentions": len(mine.mentions),
                 "failing_sources": len(mine.failing_sources), "format": channel.format.value},
    )


def queue_digests(database: Database, targets: Iterable[AlertTarget], now: datetime,
                  frequency: DigestFrequency = DigestFrequency.DAILY, topic: str = DEFAULT_TOPIC,
                  template_dir: Path | None = None) -> int:
    """Queue the digest of the last complete period for every target that takes digests; returns how many."""
    chosen = [t for t in targets if EventType.DIGEST in t.events]
    if not chosen:
        return 0
    period = digest_period(now, frequency)
    with database.transaction() as session:
        content = digest_content(session, period.start, period.end, topic)
        alerts = [digest_alert(content, t, period.first_day, template_dir) for t in chosen]
        return queue_alerts(session, [a for a in alerts if a is not None], now)
