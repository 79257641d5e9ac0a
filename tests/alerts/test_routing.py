from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from alerts.routing import (
    alerts_for_change,
    alerts_for_delivery_failure,
    alerts_for_health,
    alerts_for_mentions,
    alerts_for_source_health,
    wants,
)
from monitor.domain import (
    AlertRecord,
    AlertStatus,
    EventType,
    SourceHealthNotice,
    SourceHealthStatus,
    SourceKind,
    SourceState,
    Stance,
)
from tests.support.alert_builders import NOW, VAGGERYD, change, mention_notice, target

NORRBOTTEN = target("norrbotten", counties={"Norrbottens län"})


def test_a_target_restricted_to_norrbotten_gets_kiruna_and_not_vaggeryd():
    assert [a.target for a in alerts_for_change(change("2584"), [NORRBOTTEN])] == ["norrbotten"]
    assert alerts_for_change(change("0665"), [NORRBOTTEN]) == []


def test_a_target_for_accepted_only_gets_nothing_for_a_decline():
    accepted_only = target("accepted", to_stances={Stance.ACCEPTED})
    assert alerts_for_change(change("0665", Stance.DECLINED), [accepted_only]) == []
    assert len(alerts_for_change(change("0665", Stance.ACCEPTED), [accepted_only])) == 1


def test_by_default_a_target_gets_every_stance_change_and_nothing_else():
    default = target()
    assert wants(default, EventType.STANCE_CHANGE, "0665", "Jönköpings län", Stance.DECLINED)
    assert wants(default, EventType.STANCE_CHANGE, "2584", "Norrbottens län", Stance.NEUTRAL)
    for event in (EventType.NEW_MENTION, EventType.SOURCE_HEALTH, EventType.DIGEST):
        assert not wants(default, event, "0665", "Jönköpings län", None)


def test_municipalities_and_counties_together_mean_either():
    kiruna_or_stockholm_county = target(municipalities={"2584"}, counties={"Stockholms län"})
    assert wants(kiruna_or_stockholm_county, EventType.STANCE_CHANGE, "2584", "Norrbottens län", Stance.DECLINED)
    assert wants(kiruna_or_stockholm_county, EventType.STANCE_CHANGE, "0180", "Stockholms län", Stance.DECLINED)
    assert not wants(kiruna_or_stockholm_county, EventType.STANCE_CHANGE, "0665", "Jönköpings län", Stance.DECLINED)


def test_one_alert_per_target_rendered_for_its_language_and_channel():
    email = target("email", language="en")
    chat = target("chat", url="discord://1234567/abcdefghijklmnopqrstu")
    by_target = {a.target: a for a in alerts_for_change(change(), [email, chat])}
    assert by_target["email"].idempotency_key == "stance_change:7:email"
    assert by_target["email"].title == "Vaggeryd: unknown → declined (return migration)"
    assert "<blockquote>" in by_target["email"].body
    assert "**okänd → avböjt**" in by_target["chat"].body
    assert by_target["chat"].municipality_code == "0665"
    assert by_target["chat"].payload == {"stance_change_id": 7, "format": "markdown"}


def test_the_same_change_gives_the_same_keys():
    targets = [target("a"), target("b")]
    first = [a.idempotency_key for a in alerts_for_change(change(), targets)]
    assert first == [a.idempotency_key for a in alerts_for_change(change(), targets)]


def test_a_change_held_for_review_alerts_nobody():
    held = replace(change(), held_for_review=True)
    assert alerts_for_change(held, [target()]) == []


def test_new_mentions_go_to_targets_that_asked_for_them():
    mentions = target("mentions", events={EventType.NEW_MENTION}, counties={"Norrbottens län"})
    alerts = alerts_for_mentions(mention_notice(), [mentions, target("changes-only")])
    assert [a.idempotency_key for a in alerts] == ["new_mention:9:mentions"]


def test_source_health_keys_name_the_source_the_event_and_the_run():
    ops = target("ops", events={EventType.SOURCE_HEALTH})
    notice = SourceHealthNotice("0665-protocols", SourceHealthStatus.FAILING, VAGGERYD, "HTTP 404", 3, None,
                                run_id=42)
    (alert,) = alerts_for_source_health(notice, [ops, target("changes-only")])
    assert alert.idempotency_key == "source_health:0665-protocols:failing:42:ops"
    assert alert.event_type is EventType.SOURCE_HEALTH


def test_source_health_from_a_stored_source_state():
    ops = target("ops", events={EventType.SOURCE_HEALTH}, language="en")
    attempted = datetime(2025, 10, 28, 4, 0, tzinfo=UTC)
    state = SourceState("0665-protocols", SourceKind.PROTOCOLS, "0665", None, attempted, None, None, "failed",
                        "HTTP 404", 3, "ok")
    (alert,) = alerts_for_health(state, "Vaggeryd", "failing", [ops], NOW)
    assert alert.idempotency_key == f"source_health:0665-protocols:failing:{attempted.isoformat()}:ops"
    assert alert.title == "Source cannot be read: 0665-protocols (Vaggeryd)"
    assert alerts_for_health(state, "Vaggeryd", "failing", [ops], NOW)[0].idempotency_key == alert.idempotency_key


def _failed(key: str, target_name: str) -> AlertRecord:
    return AlertRecord(5, key, EventType.STANCE_CHANGE, target_name, AlertStatus.FAILED, 3, 3, "T", "0665", NOW,
                       NOW, None, "HTTP 500", None)


def test_delivery_failures_go_to_ops_targets_but_never_to_the_failed_target():
    ops_a = target("ops-a", events={EventType.SOURCE_HEALTH, EventType.STANCE_CHANGE})
    ops_b = target("ops-b", events={EventType.SOURCE_HEALTH})
    alerts = alerts_for_delivery_failure(_failed("stance_change:7:ops-a", "ops-a"), [ops_a, ops_b, target()])
    assert [(a.target, a.idempotency_key) for a in alerts] == [("ops-b", "delivery_failed:5:3:ops-b")]


def test_a_failed_ops_alert_raises_no_further_ops_alert():
    ops_b = target("ops-b", events={EventType.SOURCE_HEALTH})
    assert alerts_for_delivery_failure(_failed("delivery_failed:4:3:ops-a", "ops-a"), [ops_b]) == []
