"""Source health: one ops alert when a source stops working, one when it recovers."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from alerts.routing import alerts_for_health
from monitor.app import schedule
from monitor.config import Config
from monitor.domain import SourceHealthStatus, SourceState
from storage import outbox
from storage import repository as repo

log = logging.getLogger("kommunvakt.health")


@dataclass(frozen=True)
class HealthDecision:
    event: SourceHealthStatus
    new_health: str  # ok | failing | stale


def decide_health(state: SourceState, threshold: int, stale_after: timedelta | None,
                  now: datetime) -> HealthDecision | None:
    """Pure: compare the source's record with its last announced health."""
    if state.consecutive_failures >= threshold:
        return HealthDecision(SourceHealthStatus.FAILING, "failing") if state.health != "failing" else None
    if state.health != "ok" and state.last_outcome == "ok" and not _stale(state, stale_after, now):
        return HealthDecision(SourceHealthStatus.RECOVERED, "ok")
    if state.health == "ok" and _stale(state, stale_after, now):
        return HealthDecision(SourceHealthStatus.STALE, "stale")
    return None


def _stale(state: SourceState, stale_after: timedelta | None, now: datetime) -> bool:
    if stale_after is None or state.baseline_at is None:
        return False
    last_new = state.last_new_document_at or state.baseline_at
    return now - last_new > stale_after


def stale_after(config: Config, source_key: str) -> timedelta | None:
    try:
        source = config.source(source_key)
    except KeyError:
        return None
    interval = schedule.interval_of(source) or schedule.DEFAULT_INTERVAL[source.kind]
    expected = max(interval, schedule.EXPECTED_PUBLICATION_CADENCE[source.kind])
    return timedelta(seconds=expected * config.daemon.stale_factor)


def check_health(service, now: datetime) -> int:
    """Record health transitions and write their ops alerts to the outbox; returns the number of events."""
    config: Config = service.config
    events = 0
    with service.database.transaction() as session:
        for state in repo.source_states(session):
            decision = decide_health(state, config.daemon.failure_threshold, stale_after(config, state.key), now)
            if decision is None:
                continue
            repo.set_health(session, state.key, decision.new_health)
            name, county = _source_place(service, state)
            for alert in alerts_for_health(state, name, decision.event, config.alerts.targets, now,
                                           county=county):
                outbox.insert_alert(session, alert, now)
            log.warning("source %s: %s", state.key, decision.event.value)
            events += 1
    return events


def _source_place(service, state: SourceState) -> tuple[str, str | None]:
    if state.municipality_code:
        municipality = service.registry.get(state.municipality_code)
        return municipality.name, municipality.county
    return state.key, None
