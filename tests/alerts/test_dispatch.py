"""Delivery through apprise to a real SMTP server and a real webhook receiver on loopback."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from alerts.dispatch import check_target, dispatch_due, send_test
from alerts.routing import alerts_for_change, queue_alerts
from monitor.domain import AlertStatus, EventType, NewAlert, Stance
from storage.db import open_database
from storage.outbox import attempts_of, claim_due, insert_alert, list_alerts
from tests.support.alert_builders import DECLINE_QUOTE, NOW, stored_change, target

MAX_ATTEMPTS = 3


def queue_change(database, targets, code: str = "0665", new: Stance = Stance.DECLINED):
    change = stored_change(database, code, new)
    with database.transaction() as session:
        queue_alerts(session, alerts_for_change(change, targets), NOW, change.id)
    return change


def dispatch(database, targets, at=NOW, worker: str = "test"):
    return dispatch_due(database, targets, at, worker, MAX_ATTEMPTS)


def alerts(database, **filters):
    with database.transaction() as session:
        return list_alerts(session, **filters)


def attempts(database, alert_id: int):
    with database.transaction() as session:
        return [(a.ok, a.error) for a in attempts_of(session, alert_id)]


# --- email ----------------------------------------------------------------------------------


def test_a_stance_change_is_emailed_exactly_once(database, smtp_sink):
    news = target("news", url=smtp_sink.url())
    change = queue_change(database, [news])
    report = dispatch(database, [news])
    assert (report.attempted, report.sent) == (1, 1)
    (mail,) = smtp_sink.wait_for(1)
    assert mail.subject == "Vaggeryd: okänd → avböjt (återvandring)"
    assert "<blockquote>" in mail.html
    for part in (mail.text, mail.html):  # readable in a plain-text mail client too, link included
        for expected in ("Vaggeryd", "Jönköpings län", "declined", DECLINE_QUOTE, change.observation.document_url):
            assert expected in part
    assert dispatch(database, [news], NOW + timedelta(hours=1)).attempted == 0
    assert len(smtp_sink.messages) == 1
    (stored,) = alerts(database)
    assert (stored.status, stored.attempts) == (AlertStatus.SENT, 1)


def test_with_the_smtp_server_down_the_alert_waits_and_is_delivered_once_when_it_is_back(database, smtp_sink):
    news = target("news", url=smtp_sink.url(extra="format=text"))
    queue_change(database, [news])
    smtp_sink.stop()
    report = dispatch(database, [news])
    assert (report.attempted, report.waiting) == (1, 1)
    (waiting,) = alerts(database)
    assert waiting.status is AlertStatus.PENDING and waiting.next_attempt_at == NOW + timedelta(minutes=1)
    assert "127.0.0.1" in waiting.last_error
    assert dispatch(database, [news], NOW + timedelta(seconds=30)).attempted == 0  # backing off
    smtp_sink.start()
    assert dispatch(database, [news], NOW + timedelta(minutes=1)).sent == 1
    assert len(smtp_sink.wait_for(1)) == 1
    assert dispatch(database, [news], NOW + timedelta(hours=1)).attempted == 0
    assert len(smtp_sink.messages) == 1
    assert [ok for ok, _ in attempts(database, waiting.id)] == [False, True]


# --- concurrency and crashes ----------------------------------------------------------------


def test_two_dispatchers_at_once_send_nothing_twice(any_database, webhook):
    hook = target("hook", url=webhook.url("/hook"))
    for n in range(30):
        with any_database.transaction() as session:
            insert_alert(session, NewAlert(f"test:{n}", EventType.STANCE_CHANGE, "hook", f"alert {n}", "x"), NOW)
    reports = []

    def run(worker: str) -> None:
        database = open_database(any_database.url, migrate=False)
        reports.append(dispatch_due(database, [hook], NOW, worker, MAX_ATTEMPTS))
        database.dispose()

    threads = [threading.Thread(target=run, args=(f"dispatcher-{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    titles = [post.title for post in webhook.posts]
    assert sorted(titles) == sorted(f"alert {n}" for n in range(30))
    assert sum(r.sent for r in reports) == 30
    assert all(a.status is AlertStatus.SENT and a.total_attempts == 1 for a in alerts(any_database))


def test_an_alert_claimed_by_a_dispatcher_that_was_killed_is_delivered_later(database, webhook):
    hook = target("hook", url=webhook.url("/hook"))
    queue_change(database, [hook])
    with database.transaction() as session:
        claim_due(session, NOW, "killed-dispatcher", limit=10)  # ... and then it died
    assert dispatch(database, [hook], NOW + timedelta(minutes=5)).attempted == 0  # not stale yet
    report = dispatch(database, [hook], NOW + timedelta(minutes=15))
    assert (report.released, report.sent) == (1, 1)
    assert len(webhook.posts) == 1


# --- giving up ------------------------------------------------------------------------------


def test_after_the_last_attempt_the_alert_fails_and_one_ops_alert_goes_elsewhere(database, webhook):
    news = target("news", url=webhook.url("/news"), events={EventType.STANCE_CHANGE, EventType.SOURCE_HEALTH})
    ops = target("ops", url=webhook.url("/ops"), events={EventType.SOURCE_HEALTH}, language="en")
    queue_change(database, [news, ops])
    webhook.fail_with(500)
    reports = [dispatch(database, [news, ops], NOW + timedelta(hours=n)) for n in range(MAX_ATTEMPTS)]
    assert [r.ops_alerts for r in reports] == [0, 0, 1]
    (failed,) = alerts(database, target="news", event_type=EventType.STANCE_CHANGE)
    assert (failed.status, failed.attempts) == (AlertStatus.FAILED, MAX_ATTEMPTS)
    assert "HTTP 500" in failed.last_error or "500" in failed.last_error
    webhook.fail_with(None)
    dispatch(database, [news, ops], NOW + timedelta(hours=5))
    (ops_post,) = [p for p in webhook.accepted("/ops") if p.title.startswith("Alert could not")]
    assert ops_post.title == "Alert could not be delivered to news"
    assert "kommunvakt alerts retry" in ops_post.message
    assert webhook.accepted("/news") == []  # never told about its own failure
    assert len([p for p in webhook.posts if p.path == "/news"]) == MAX_ATTEMPTS


def test_an_alert_for_a_target_no_longer_configured_fails_with_a_clear_error(database, webhook):
    queue_change(database, [target("gone", url=webhook.url("/gone"))])
    report = dispatch(database, [target("other", url=webhook.url("/other"))])
    assert report.failed == 1
    (failed,) = alerts(database)
    assert failed.status is AlertStatus.FAILED
    assert failed.last_error == "target 'gone' is not configured (any more)"
    assert webhook.posts == []


# --- secrets in logs ------------------------------------------------------------------------


def test_logs_and_stored_errors_never_contain_the_password(database, webhook, smtp_sink, caplog):
    caplog.set_level(logging.DEBUG)
    hook = target("hook", url=webhook.url("/hook", user="kv", password="s3cretpw"))
    mail = target("mail", url=f"mailto://kv:s3cretpw@127.0.0.1:{smtp_sink.port}?from=kv@example.org&to=n@example.org")
    queue_change(database, [hook, mail])
    webhook.fail_with(500)
    smtp_sink.stop()
    report = dispatch(database, [hook, mail])
    assert report.waiting == 2
    assert "kv:****@127.0.0.1" in caplog.text
    assert "s3cretpw" not in caplog.text
    for alert in alerts(database):
        assert "s3cretpw" not in (alert.last_error or "")
        assert all("s3cretpw" not in (error or "") for _, error in attempts(database, alert.id))


# --- operator test --------------------------------------------------------------------------


def test_send_test_says_plainly_whether_the_message_arrived(smtp_sink):
    news = target("news", url=smtp_sink.url(), language="en")
    assert send_test(news, NOW) is True
    (mail,) = smtp_sink.wait_for(1)
    assert mail.subject == "kommunvakt: test message"
    smtp_sink.stop()
    delivery = check_target(news, NOW)
    assert delivery.ok is False and "127.0.0.1" in delivery.error


def test_an_unusable_url_is_a_failed_delivery_not_a_crash():
    delivery = check_target(target("bad", url="nonsense://"), NOW)
    assert delivery.ok is False and "not a usable apprise URL" in delivery.error
