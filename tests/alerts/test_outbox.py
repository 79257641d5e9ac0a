"""The outbox's delivery state, on SQLite and (where reachable) PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from monitor.domain import AlertStatus, EventType, NewAlert
from storage.outbox import (
    Backoff,
    UnknownAlert,
    alert_record,
    attempts_of,
    claim_due,
    count_by_status,
    insert_alert,
    list_alerts,
    record_attempt,
    release_stale_claims,
    retry,
)
from tests.support.alert_builders import NOW

MINUTE = timedelta(minutes=1)


def add(database, key: str = "stance_change:1:news", target: str = "news", at=NOW) -> int:
    with database.transaction() as session:
        assert insert_alert(session, NewAlert(key, EventType.STANCE_CHANGE, target, "Titel", "Text"), at)
    with database.transaction() as session:
        return next(r.id for r in list_alerts(session) if r.idempotency_key == key)


def claim(database, worker: str = "w1", at=NOW, limit: int = 10):
    with database.transaction() as session:
        return claim_due(session, at, worker, limit)


def attempt(database, alert_id: int, ok: bool, at=NOW, max_attempts: int = 3, error: str | None = "refused"):
    with database.transaction() as session:
        return record_attempt(session, alert_id, ok, None if ok else error, at, max_attempts, Backoff(MINUTE))


def record(database, alert_id: int):
    with database.transaction() as session:
        return alert_record(session, alert_id)


def test_the_same_key_is_queued_once(any_database):
    add(any_database)
    with any_database.transaction() as session:
        assert not insert_alert(session, NewAlert("stance_change:1:news", EventType.STANCE_CHANGE, "news", "T", "B"),
                                NOW)
        assert len(list_alerts(session)) == 1


def test_a_claimed_alert_cannot_be_claimed_again(any_database):
    alert_id = add(any_database)
    (claimed,) = claim(any_database, "w1")
    assert (claimed.id, claimed.target, claimed.title) == (alert_id, "news", "Titel")
    assert claim(any_database, "w2") == []
    assert record(any_database, alert_id).claimed_by == "w1"


def test_only_due_alerts_are_claimed(any_database):
    add(any_database, at=NOW + MINUTE)
    assert claim(any_database, at=NOW) == []
    assert len(claim(any_database, at=NOW + MINUTE)) == 1


def test_a_successful_attempt_marks_the_alert_sent(any_database):
    alert_id = add(any_database)
    claim(any_database)
    result = attempt(any_database, alert_id, ok=True)
    assert (result.status, result.attempts, result.next_attempt_at) == (AlertStatus.SENT, 1, None)
    stored = record(any_database, alert_id)
    assert (stored.status, stored.sent_at, stored.claimed_by) == (AlertStatus.SENT, NOW, None)


def test_failures_back_off_exponentially_then_fail(any_database):
    alert_id = add(any_database)
    waits = []
    for n in range(2):
        claim(any_database, at=NOW + timedelta(hours=n))
        result = attempt(any_database, alert_id, ok=False, at=NOW + timedelta(hours=n))
        waits.append(result.next_attempt_at - (NOW + timedelta(hours=n)))
        assert result.status is AlertStatus.PENDING
    assert waits == [MINUTE, 2 * MINUTE]
    claim(any_database, at=NOW + timedelta(hours=3))
    assert attempt(any_database, alert_id, ok=False, at=NOW + timedelta(hours=3)).status is AlertStatus.FAILED
    stored = record(any_database, alert_id)
    assert (stored.status, stored.attempts, stored.total_attempts, stored.last_error) == (
        AlertStatus.FAILED, 3, 3, "refused")


def test_backoff_is_capped():
    backoff = Backoff(base=timedelta(minutes=1), cap=timedelta(hours=1))
    assert [backoff.delay(n) for n in (1, 2, 3, 7, 20)] == [
        timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4), timedelta(hours=1), timedelta(hours=1)]


def test_every_attempt_is_recorded(any_database):
    alert_id = add(any_database)
    claim(any_database)
    attempt(any_database, alert_id, ok=False)
    claim(any_database, at=NOW + MINUTE)
    attempt(any_database, alert_id, ok=True, at=NOW + MINUTE)
    with any_database.transaction() as session:
        assert [(a.ok, a.error) for a in attempts_of(session, alert_id)] == [(False, "refused"), (True, None)]


def test_stale_claims_of_a_dead_dispatcher_are_released(any_database):
    alert_id = add(any_database)
    claim(any_database, "dead")
    with any_database.transaction() as session:
        assert release_stale_claims(session, NOW + timedelta(minutes=5), older_than=timedelta(minutes=15)) == 0
        assert release_stale_claims(session, NOW + timedelta(minutes=15), older_than=timedelta(minutes=15)) == 1
    (again,) = claim(any_database, "alive", at=NOW + timedelta(minutes=15))
    assert again.id == alert_id


def test_retry_makes_a_failed_alert_due_now_with_a_fresh_round(any_database):
    alert_id = add(any_database)
    claim(any_database)
    attempt(any_database, alert_id, ok=False, max_attempts=1)
    later = NOW + timedelta(days=1)
    with any_database.transaction() as session:
        assert retry(session, later, alert_id) == 1
    stored = record(any_database, alert_id)
    assert (stored.status, stored.attempts, stored.total_attempts, stored.next_attempt_at) == (
        AlertStatus.PENDING, 0, 1, later)


def test_retry_all_leaves_sent_alerts_alone(any_database):
    sent, waiting = add(any_database, "a"), add(any_database, "b")
    claim(any_database, limit=1)
    attempt(any_database, sent, ok=True)
    claim(any_database)
    attempt(any_database, waiting, ok=False)
    with any_database.transaction() as session:
        assert retry(session, NOW) == 1
        assert count_by_status(session) == {AlertStatus.PENDING: 1, AlertStatus.SENDING: 0, AlertStatus.SENT: 1,
                                            AlertStatus.FAILED: 0}


def test_retry_of_an_unknown_alert_says_so(any_database):
    with any_database.transaction() as session, pytest.raises(UnknownAlert):
        retry(session, NOW, 999)


def test_list_alerts_filters_and_shows_newest_first(any_database):
    add(any_database, "a", "news")
    add(any_database, "b", "ops")
    with any_database.transaction() as session:
        assert [r.idempotency_key for r in list_alerts(session)] == ["b", "a"]
        assert [r.idempotency_key for r in list_alerts(session, target="ops")] == ["b"]
        assert list_alerts(session, status=AlertStatus.SENT) == []
