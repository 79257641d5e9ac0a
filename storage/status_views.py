"""Read-only queries behind `kommunvakt status`, `history` and `export`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.domain import ReadState
from storage.models import (
    CurrentStanceRow,
    DocumentRow,
    MunicipalityRow,
    ObservationRow,
    SourceRow,
    StanceChangeRow,
)
from storage.quarantine import read_state_counts


@dataclass(frozen=True)
class StanceRow:
    municipality_code: str
    municipality: str
    county: str
    stance: str
    since: datetime
    evidence: str
    authority: str
    confidence: float
    observed_on: date
    document_url: str
    document_title: str
    page: int | None
    outlet: str | None


@dataclass(frozen=True)
class ChangeRow:
    id: int
    municipality_code: str
    municipality: str
    old_stance: str
    new_stance: str
    status: str
    created_at: datetime
    evidence: str
    confidence: float
    document_url: str
    document_title: str = ""


@dataclass(frozen=True)
class DocumentProblem:
    source: str
    url: str
    error: str
    fetched_at: datetime


def stance_table(session: Session, topic: str) -> list[StanceRow]:
    query = (select(CurrentStanceRow, MunicipalityRow, ObservationRow, DocumentRow)
             .join(MunicipalityRow, MunicipalityRow.code == CurrentStanceRow.municipality_code)
             .join(ObservationRow, ObservationRow.id == CurrentStanceRow.observation_id)
             .join(DocumentRow, DocumentRow.id == ObservationRow.document_id)
             .where(CurrentStanceRow.topic == topic).order_by(CurrentStanceRow.municipality_code))
    return [_stance_row(*row) for row in session.execute(query)]


def _stance_row(current, municipality, obs, doc) -> StanceRow:
    return StanceRow(
        municipality_code=municipality.code, municipality=municipality.name, county=municipality.county,
        stance=current.stance, since=current.since, evidence=obs.evidence, authority=obs.authority,
        confidence=obs.confidence, observed_on=obs.observed_on, document_url=doc.url, document_title=doc.title,
        page=obs.page, outlet=doc.outlet,
    )


def change_history(session: Session, topic: str, municipality_code: str | None = None,
                   status: str | None = None) -> list[ChangeRow]:
    query = (select(StanceChangeRow, MunicipalityRow, ObservationRow, DocumentRow)
             .join(MunicipalityRow, MunicipalityRow.code == StanceChangeRow.municipality_code)
             .join(ObservationRow, ObservationRow.id == StanceChangeRow.observation_id)
             .join(DocumentRow, DocumentRow.id == ObservationRow.document_id)
             .where(StanceChangeRow.topic == topic).order_by(StanceChangeRow.id))
    if municipality_code:
        query = query.where(StanceChangeRow.municipality_code == municipality_code)
    if status:
        query = query.where(StanceChangeRow.status == status)
    return [_change_row(*row) for row in session.execute(query)]


def _change_row(change, municipality, obs, doc) -> ChangeRow:
    return ChangeRow(
        id=change.id, municipality_code=municipality.code, municipality=municipality.name,
        old_stance=change.old_stance, new_stance=change.new_stance, status=change.status,
        created_at=change.created_at, evidence=obs.evidence, confidence=obs.confidence, document_url=doc.url,
        document_title=doc.title,
    )


def document_problems(session: Session, limit: int = 50) -> list[DocumentProblem]:
    query = (select(DocumentRow, SourceRow).join(SourceRow, SourceRow.id == DocumentRow.source_id)
             .where(DocumentRow.error.is_not(None), DocumentRow.is_current.is_(True))
             .order_by(DocumentRow.id.desc()).limit(limit))
    return [DocumentProblem(s.key, d.url, d.error or "", d.fetched_at) for d, s in session.execute(query)]


@dataclass(frozen=True)
class ReadingSummary:
    waiting_for_ocr: int  # scanned PDFs stored without text: Tesseract was missing
    quarantined: int  # could not be read; read again only when the extractor changes or on `kommunvakt reread`


def reading_summary(session: Session) -> ReadingSummary:
    return ReadingSummary(documents_waiting_for_ocr(session), documents_quarantined(session))


def documents_waiting_for_ocr(session: Session) -> int:
    """Scanned PDFs stored without text because Tesseract was missing; read once it is installed."""
    return read_state_counts(session).get(ReadState.NEEDS_OCR, 0)


def documents_quarantined(session: Session) -> int:
    """Documents that could not be read and are not read again until the extractor changes."""
    return read_state_counts(session).get(ReadState.QUARANTINED, 0)


def document_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DocumentRow)) or 0
