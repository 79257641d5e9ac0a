"""What a person's review does: approving a stance candidate records it as an observation and runs the
change decision for its municipality, so that a resulting change is announced as any other."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from monitor.analysis.change import ChangeDecision
from monitor.app.analysis_stage import AnalysisReport, Context, decide
from monitor.domain import ReviewCandidate, Stance
from storage import candidates as review_candidates
from storage import repository as repo


class StanceNeeded(ValueError):
    """The candidate suggests no stance, and the reviewer gave none."""


@dataclass(frozen=True)
class CandidateApproval:
    candidate: ReviewCandidate
    stance: Stance
    observation_id: int
    decision: ChangeDecision | None  # None: the municipality's stance did not change
    alerts: int  # outbox rows written for the change


def approve_candidate(session: Session, context: Context, candidate_id: int,
                      stance: Stance | None = None) -> CandidateApproval:
    """Approve a pending candidate (with `stance`, or the one it suggests) in the caller's transaction."""
    candidate = review_candidates.decide(session, candidate_id, review_candidates.APPROVED, context.now)
    chosen = stance or candidate.stance
    if chosen is None:
        raise StanceNeeded(f"candidate #{candidate_id} suggests no stance: give one with --stance "
                           "declined|accepted|neutral")
    observation_id = repo.add_observation(
        session, candidate.document_id, candidate.topic, candidate.municipality_code, chosen, candidate.confidence,
        candidate.evidence, candidate.evidence_start, candidate.page, candidate.authority, candidate.observed_on,
        context.now, reviewed=True)
    report = AnalysisReport()
    # A person said so now: the change is news, whatever the age of the document it was read in.
    decision = decide(session, context, candidate.municipality_code, True, report)
    return CandidateApproval(candidate, chosen, observation_id, decision, report.alerts)


def reject_candidate(session: Session, context: Context, candidate_id: int) -> ReviewCandidate:
    return review_candidates.decide(session, candidate_id, review_candidates.REJECTED, context.now)
