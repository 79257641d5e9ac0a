"""Issue 14 through the analysis stage and real storage (SQLite, and PostgreSQL where one runs):
weak acceptances are held even where they would have been a silent baseline, stance candidates are stored
once per document and sentence, and approving one records a person's observation that is never held again."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.analysis.change import ChangeKind
from monitor.app.analysis_stage import AnalysisReport, analyse_document, analyse_pending
from monitor.app.review_actions import StanceNeeded, approve_candidate, reject_candidate
from monitor.domain import Authority, Stance, StanceCandidate
from storage import candidates as review_candidates
from storage import repository as repo
from tests.support.press import publish
from tests.support.review_texts import PARTY_SENTENCE
from tests.support.review_texts import WEAK_ACCEPTANCE_PROTOCOL as WEAK_ACCEPTANCE

VAGGERYD, HABO = "0665", "0643"


def stance_of(database, context, code: str) -> Stance:
    with database.transaction() as session:
        return repo.current_stance(session, code, context.topic.name)[0]


def pending(database, context):
    with database.transaction() as session:
        return review_candidates.candidates(session, context.topic.name)


@pytest.mark.parametrize("published", [date(2025, 11, 11), date(2023, 5, 4)], ids=["recent", "old-baseline"])
def test_a_weak_acceptance_is_held_and_never_becomes_the_current_stance_unseen(service, published):
    database, context = service
    publish(database, "vaggeryd-protocols", "https://www.vaggeryd.se/ks-7.html", WEAK_ACCEPTANCE, published)
    report = analyse_pending(database, context)
    [change] = [c for c in report.changes if c.observation.municipality_code == VAGGERYD]
    assert (change.new, change.kind) == (Stance.ACCEPTED, ChangeKind.HOLD)
    assert change.observation.confidence < context.config.alerts.review_thresholds[Stance.ACCEPTED]
    assert stance_of(database, context, VAGGERYD) is Stance.UNKNOWN
    assert report.alerts == 0
    again = analyse_pending(database, context)  # nothing new: the held change is not recorded twice
    assert again.changes == []


def test_candidates_are_stored_once_per_document_and_sentence(service):
    database, context = service
    publish(database, "vaggeryd-protocols", "https://www.vaggeryd.se/ks-7.html", WEAK_ACCEPTANCE, date(2025, 11, 11))
    with database.transaction() as session:
        [document] = repo.pending_documents(session)
    report = AnalysisReport()
    for _ in range(2):  # analysing the same document again (a crash before it was marked) adds no candidate
        with database.transaction() as session:
            analyse_document(session, context, document, report)
    assert report.candidates == 1
    [candidate] = pending(database, context)
    assert (candidate.municipality_code, candidate.stance, candidate.status) == (HABO, Stance.DECLINED, "pending")
    assert candidate.evidence == PARTY_SENTENCE
    assert WEAK_ACCEPTANCE[candidate.evidence_start:].startswith(candidate.evidence)
    assert candidate.reason and candidate.confidence < 0.6
    assert candidate.document_url == "https://www.vaggeryd.se/ks-7.html"
    assert candidate.document_title.startswith("Protokoll kommunstyrelsen")


def test_approving_a_candidate_records_a_reviewed_observation_and_announces_the_change(service):
    database, context = service
    publish(database, "vaggeryd-protocols", "https://www.vaggeryd.se/ks-7.html", WEAK_ACCEPTANCE, date(2023, 5, 4))
    analyse_pending(database, context)  # an old document: a confident change would only be a baseline
    [candidate] = pending(database, context)
    with database.transaction() as session:
        approval = approve_candidate(session, context, candidate.id)
    assert approval.stance is Stance.DECLINED
    assert (approval.decision.old, approval.decision.new, approval.decision.kind) == (
        Stance.UNKNOWN, Stance.DECLINED, ChangeKind.ANNOUNCE)  # below every threshold, yet a person said so
    with database.transaction() as session:
        observation = repo.observation(session, approval.observation_id)
    assert observation.reviewed and observation.confidence == candidate.confidence
    assert observation.authority is candidate.authority and observation.evidence == candidate.evidence
    assert stance_of(database, context, HABO) is Stance.DECLINED
    assert pending(database, context) == []
    with pytest.raises(review_candidates.NotPending), database.transaction() as session:
        approve_candidate(session, context, candidate.id)  # approved once only


def test_a_candidate_without_a_stance_needs_one_and_a_rejected_one_is_gone(service):
    database, context = service
    publish(database, "vaggeryd-protocols", "https://www.vaggeryd.se/ks-7.html", WEAK_ACCEPTANCE, date(2025, 11, 11))
    analyse_pending(database, context)
    [document_id] = {c.document_id for c in pending(database, context)}
    open_question = StanceCandidate(HABO, "Habo", None, 0.2, "Habo återkommer.", 3, Authority.PRESS, "no predicate")
    with database.transaction() as session:
        assert review_candidates.add_candidate(session, document_id, context.topic.name, open_question, None,
                                               context.now)
        assert not review_candidates.add_candidate(session, document_id, context.topic.name, open_question, None,
                                                   context.now)
    blank = next(c for c in pending(database, context) if c.stance is None)
    with pytest.raises(StanceNeeded), database.transaction() as session:
        approve_candidate(session, context, blank.id)
    assert blank in pending(database, context)  # the failed approval changed nothing
    with database.transaction() as session:
        approval = approve_candidate(session, context, blank.id, Stance.NEUTRAL)
    assert approval.stance is Stance.NEUTRAL
    [other] = pending(database, context)
    with database.transaction() as session:
        reject_candidate(session, context, other.id)
    assert pending(database, context) == []
    with pytest.raises(review_candidates.NotPending), database.transaction() as session:
        reject_candidate(session, context, 9999)
