"""Stance candidates: sentences the analysis could not attribute with confidence, waiting for a person.

Stored once per document, municipality and sentence (re-analysing a document adds nothing); a person
approves one (it becomes an observation, see monitor.app.review_actions) or rejects it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.domain import Authority, ReviewCandidate, Stance, StanceCandidate
from storage.models import DocumentRow, MunicipalityRow, StanceCandidateRow

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


class NotPending(LookupError):
    """No candidate with that id waits for review."""


def add_candidate(session: Session, document_id: int, topic: str, candidate: StanceCandidate, page: int | None,
                  now: datetime) -> bool:
    """Store a candidate unless this document already has it (same municipality and sentence); True if added."""
    known = session.scalar(select(StanceCandidateRow.id).where(
        StanceCandidateRow.document_id == document_id,
        StanceCandidateRow.municipality_code == candidate.municipality_code,
        StanceCandidateRow.evidence_start == candidate.evidence_start))
    if known is not None:
        return False
    session.add(StanceCandidateRow(
        document_id=document_id, topic=topic, municipality_code=candidate.municipality_code,
        stance=candidate.stance.value if candidate.stance else None, confidence=candidate.confidence,
        evidence=candidate.evidence, evidence_start=candidate.evidence_start, page=page,
        authority=candidate.authority.value, reason=candidate.reason, status=PENDING, created_at=now))
    session.flush()
    return True


def candidates(session: Session, topic: str, status: str | None = PENDING) -> list[ReviewCandidate]:
    query = _joined().where(StanceCandidateRow.topic == topic).order_by(StanceCandidateRow.id)
    if status:
        query = query.where(StanceCandidateRow.status == status)
    return [_to_candidate(*row) for row in session.execute(query)]


def decide(session: Session, candidate_id: int, status: str, now: datetime) -> ReviewCandidate:
    """Mark a pending candidate approved or rejected; returns it as it was before."""
    row = session.execute(_joined().where(StanceCandidateRow.id == candidate_id)).first()
    if row is None or row[0].status != PENDING:
        raise NotPending(f"no review candidate with id {candidate_id} waits for review")
    found = _to_candidate(*row)
    row[0].status = status
    row[0].decided_at = now
    return found


def _joined():
    return (select(StanceCandidateRow, MunicipalityRow, DocumentRow)
            .join(MunicipalityRow, MunicipalityRow.code == StanceCandidateRow.municipality_code)
            .join(DocumentRow, DocumentRow.id == StanceCandidateRow.document_id))


def _to_candidate(row: StanceCandidateRow, municipality: MunicipalityRow, doc: DocumentRow) -> ReviewCandidate:
    return ReviewCandidate(
        id=row.id, municipality_code=row.municipality_code, municipality=municipality.name, topic=row.topic,
        stance=Stance(row.stance) if row.stance else None, confidence=row.confidence, evidence=row.evidence,
        evidence_start=row.evidence_start, page=row.page, authority=Authority(row.authority), reason=row.reason,
        status=row.status, document_id=doc.id, document_title=doc.title, document_url=doc.url,
        observed_on=doc.published_on or doc.fetched_at.date(), created_at=row.created_at,
    )
