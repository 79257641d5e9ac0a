"""Issue 4: when a source's health changes, and that each change is announced once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from monitor.app.health import SourceHealthStatus, decide_health
from monitor.domain import SourceKind, SourceState

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STALE_AFTER = timedelta(days=90)
OK = SourceState(key="2584-protocols", kind=SourceKind.PROTOCOLS, municipality_code="2584",
                 baseline_at=NOW - timedelta(days=200), last_attempt_at=NOW - timedelta(hours=1),
                 last_success_at=NOW - timedelta(hours=1), last_new_document_at=NOW - timedelta(days=10),
                 last_outcome="ok", last_error=None, consecutive_failures=0, health="ok")


def decide(state: SourceState):
    return decide_health(state, threshold=3, stale_after=STALE_AFTER, now=NOW)


def test_a_healthy_source_raises_nothing():
    assert decide(OK) is None


def test_failing_is_announced_at_the_threshold_and_only_once():
    assert decide(replace(OK, consecutive_failures=2, last_outcome="failed")) is None
    failing = replace(OK, consecutive_failures=3, last_outcome="failed", last_error="HTTP 500")
    assert decide(failing).event is SourceHealthStatus.FAILING
    assert decide(replace(failing, health="failing", consecutive_failures=7)) is None


def test_nothing_new_for_longer_than_the_cadence_is_stale_once():
    quiet = replace(OK, last_new_document_at=NOW - timedelta(days=91))
    assert decide(quiet).event is SourceHealthStatus.STALE
    assert decide(replace(quiet, health="stale")) is None
    assert decide(replace(quiet, baseline_at=None, last_new_document_at=None)) is None  # never crawled yet


def test_recovery_is_announced_once_a_run_succeeds_again():
    assert decide(replace(OK, health="failing")).event is SourceHealthStatus.RECOVERED
    assert decide(replace(OK, health="stale")).event is SourceHealthStatus.RECOVERED  # something new arrived
    assert decide(replace(OK, health="failing", last_outcome="failed", consecutive_failures=1)) is None
