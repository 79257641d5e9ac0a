from dataclasses import replace
from datetime import date

import pytest

from monitor.analysis.change import ChangeKind, decide_change, is_alertable, winning_observation
from monitor.analysis.diff import added_spans, within
from monitor.domain import Authority, Observation, Stance


def obs(id_, stance, authority=Authority.PRESS, day=date(2025, 10, 1), confidence=0.9) -> Observation:
    return Observation(id=id_, municipality_code="2584", stance=Stance(stance), confidence=confidence,
                       evidence="...", authority=authority, observed_on=day, document_id=id_,
                       document_url=f"https://example.org/{id_}", document_title="t")


def test_newer_protocol_decision_beats_older_press_report():
    press = obs(1, "accepted", day=date(2025, 10, 1))
    decision = obs(2, "declined", Authority.DECISION, day=date(2025, 10, 20))
    assert winning_observation([press, decision]) is decision


def test_older_protocol_decision_loses_to_newer_press_report():
    decision = obs(1, "declined", Authority.DECISION, day=date(2024, 6, 5))
    press = obs(2, "accepted", day=date(2025, 10, 28))
    assert winning_observation([decision, press]) is press


def test_official_wins_on_the_same_day_and_newer_wins_within_authority():
    press = obs(1, "accepted", day=date(2025, 10, 1))
    statement = obs(2, "declined", Authority.STATEMENT, day=date(2025, 10, 1))
    assert winning_observation([press, statement]) is statement
    older, newer = obs(3, "declined", day=date(2025, 1, 1)), obs(4, "accepted", day=date(2025, 2, 1))
    assert winning_observation([newer, older]) is newer
    assert winning_observation([]) is None


def test_change_kinds():
    declined = obs(1, "declined")
    assert decide_change(Stance.DECLINED, declined, True, 0.6) is None
    assert decide_change(Stance.UNKNOWN, declined, True, 0.6).kind is ChangeKind.ANNOUNCE
    assert decide_change(Stance.UNKNOWN, declined, False, 0.6).kind is ChangeKind.BASELINE
    assert decide_change(Stance.UNKNOWN, obs(2, "declined", confidence=0.4), True, 0.6).kind is ChangeKind.HOLD
    assert decide_change(Stance.UNKNOWN, obs(3, "neutral"), True, 0.6).kind is ChangeKind.BASELINE
    assert decide_change(Stance.DECLINED, obs(4, "accepted"), True, 0.6).new is Stance.ACCEPTED


@pytest.mark.parametrize("published,baseline,expected", [
    (date(2025, 10, 20), True, True),   # within 14 days: alerts even on the first crawl
    (date(2025, 9, 1), False, False),   # older than the window: history, never an alert
    (None, True, False),                # undated, first crawl: baseline
    (None, False, True),                # undated, found after the baseline: news
])
def test_alertable(published, baseline, expected):
    assert is_alertable(published, baseline, date(2025, 10, 28), 14) is expected


def test_added_spans_only_cover_new_sentences():
    old = "Kommunen har inget beslut. Ärendet bordläggs.\n"
    new = "Kommunen har inget beslut. Kommunen tackar nej till inbjudan. Ärendet bordläggs.\n"
    spans = added_spans(old, new)
    start = new.index("Kommunen tackar")
    assert within(spans, start, start + 10)
    assert not within(spans, 0, 10)
    assert added_spans(None, new) == [(0, len(new))]


THRESHOLDS = {Stance.DECLINED: 0.6, Stance.ACCEPTED: 0.85, Stance.NEUTRAL: 0.6}


def test_each_stance_is_held_below_its_own_threshold():
    assert decide_change(Stance.UNKNOWN, obs(1, "declined", confidence=0.7), True, THRESHOLDS).kind is ChangeKind.ANNOUNCE
    assert decide_change(Stance.UNKNOWN, obs(2, "accepted", confidence=0.7), True, THRESHOLDS).kind is ChangeKind.HOLD
    assert decide_change(Stance.UNKNOWN, obs(3, "accepted", confidence=0.85), True, THRESHOLDS).kind \
        is ChangeKind.ANNOUNCE
    stricter = {**THRESHOLDS, Stance.DECLINED: 0.95}
    assert decide_change(Stance.ACCEPTED, obs(4, "declined", confidence=0.9), True, stricter).kind is ChangeKind.HOLD
    assert decide_change(Stance.DECLINED, obs(5, "neutral", confidence=0.5), True, THRESHOLDS).kind is ChangeKind.HOLD


@pytest.mark.parametrize("announced", [Stance.UNKNOWN, Stance.DECLINED])
def test_a_weak_acceptance_is_held_even_where_it_would_be_a_silent_baseline(announced):
    weak = obs(1, "accepted", confidence=0.8)
    assert decide_change(announced, weak, False, THRESHOLDS).kind is ChangeKind.HOLD  # first crawl / old document
    assert decide_change(announced, weak, True, THRESHOLDS).kind is ChangeKind.HOLD
    # a confident acceptance in an old document stays a baseline, as do weak declines and neutral findings
    assert decide_change(announced, obs(2, "accepted", confidence=0.9), False, THRESHOLDS).kind is ChangeKind.BASELINE
    assert decide_change(Stance.UNKNOWN, obs(3, "declined", confidence=0.3), False, THRESHOLDS).kind \
        is ChangeKind.BASELINE
    assert decide_change(Stance.UNKNOWN, obs(4, "neutral", confidence=0.3), True, THRESHOLDS).kind is ChangeKind.BASELINE


def test_an_observation_a_person_approved_is_never_held_again():
    approved = replace(obs(1, "accepted", confidence=0.3), reviewed=True)
    assert decide_change(Stance.UNKNOWN, approved, True, THRESHOLDS).kind is ChangeKind.ANNOUNCE
    assert decide_change(Stance.DECLINED, approved, False, THRESHOLDS).kind is ChangeKind.BASELINE
    declined = replace(obs(2, "declined", confidence=0.2), reviewed=True)
    assert decide_change(Stance.ACCEPTED, declined, True, THRESHOLDS).kind is ChangeKind.ANNOUNCE
