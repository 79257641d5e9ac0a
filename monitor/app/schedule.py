"""When each source is crawled: pure functions from config and last runs to triggers."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.config import SCHEDULE_TIMEZONE, parse_duration
from monitor.cron import cron_trigger
from monitor.domain import SourceConfig, SourceKind

TIMEZONE = SCHEDULE_TIMEZONE
DEFAULT_INTERVAL = {SourceKind.PROTOCOLS: 86400, SourceKind.PRESS: 3600}
# How often something new is expected to appear: councils meet about monthly, the press daily.
EXPECTED_PUBLICATION_CADENCE = {SourceKind.PROTOCOLS: 45 * 86400, SourceKind.PRESS: 2 * 86400}


def offset_seconds(key: str, period: int) -> int:
    """A deterministic place in the period for each source, so 290 sources do not start at once."""
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:8], "big") % max(period, 1)


def interval_of(source: SourceConfig) -> int | None:
    if source.schedule:
        return None
    if source.every:
        return parse_duration(source.every)
    return DEFAULT_INTERVAL[source.kind]


def trigger_for(source: SourceConfig, last_attempt: datetime | None, now: datetime) -> BaseTrigger:
    if source.schedule:
        return cron_trigger(source.schedule, TIMEZONE, jitter=_jitter(60))
    interval = interval_of(source) or DEFAULT_INTERVAL[source.kind]
    return IntervalTrigger(seconds=interval, start_date=first_run(source.key, interval, last_attempt, now),
                           timezone=TIMEZONE, jitter=_jitter(interval))


def _jitter(interval: int) -> int | None:
    return min(300, interval // 20) or None


CATCH_UP_SPREAD_S = 600  # after a restart, overdue sources start within ten minutes, each at its own moment


def catch_up(key: str, now: datetime, interval: int = CATCH_UP_SPREAD_S) -> datetime:
    """When an overdue source runs after a (re)start: soon, at its own place in the spread."""
    if interval < CATCH_UP_SPREAD_S:
        return now
    return now + timedelta(seconds=offset_seconds(key, CATCH_UP_SPREAD_S))


def first_run(key: str, interval: int, last_attempt: datetime | None, now: datetime) -> datetime:
    """Next run after a (re)start: due runs happen soon but spread out; others keep their rhythm."""
    if last_attempt is None or last_attempt + timedelta(seconds=interval) <= now:
        return catch_up(key, now, interval)
    return last_attempt + timedelta(seconds=interval)


def missed_cron_run(source: SourceConfig, last_attempt: datetime | None, now: datetime) -> bool:
    """True when a cron-scheduled source came due while the daemon was down."""
    if not source.schedule:
        return False
    trigger = cron_trigger(source.schedule, TIMEZONE)
    reference = last_attempt or (now - timedelta(days=7))
    upcoming = trigger.get_next_fire_time(None, reference)
    return upcoming is not None and upcoming <= now
