"""Read-only queries behind the readers' site (monitor.app.site): typed rows, no ORM objects out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.domain import SourceKind, SourceState
from storage.models import DocumentRow, ObservationRow, SourceRow, StanceChangeRow
from storage.repository import source_states
from storage.status_views import StanceRow, stance_table

PUBLIC_CHANGES = ("announced", "baseline")  # held changes wait for review; rejected ones were wrong


@dataclass(frozen=True)
class ChangeRecord:
    """A stance change as readers see it: what changed, when, and the evidence behind it."""

    id: int
    municipality_code: str
    old_stance: str
    new_stance: str
    status: str  # announced | baseline (recorded from the source's first reading)
    recorded_at: datetime
    evidence: str
    authority: str
    confidence: float
    observed_on: date
    document_url: str
    document_title: str
    page: int | None
    outlet: str | None


@dataclass(frozen=True)
class PressReport:
    """A press text that spoke of a municipality's stance."""

    municipality_code: str
    stance: str
    evidence: str
    url: str
    title: str
    outlet: str | None
    published_on: date | None


@dataclass(frozen=True)
class SiteRows:
    stances: tuple[StanceRow, ...]
    changes: tuple[ChangeRecord, ...]  # oldest first (by when they were recorded)
    sources: tuple[SourceState, ...]
    press: tuple[PressReport, ...]


def site_rows(session: Session, topic: str) -> SiteRows:
    return SiteRows(tuple(stance_table(session, topic)), tuple(public_changes(session, topic)),
                    tuple(source_states(session)), tuple(press_reports(session, topic)))


def public_changes(session: Session, topic: str) -> list[ChangeRecord]:
    query = (select(StanceChangeRow, ObservationRow, DocumentRow)
             .join(ObservationRow, ObservationRow.id == StanceChangeRow.observation_id)
             .join(DocumentRow, DocumentRow.id == ObservationRow.document_id)
             .where(StanceChangeRow.topic == topic, StanceChangeRow.status.in_(PUBLIC_CHANGES))
             .order_by(StanceChangeRow.created_at, StanceChangeRow.id))
    return [_change_record(*row) for row in session.execute(query)]


def _change_record(change: StanceChangeRow, obs: ObservationRow, doc: DocumentRow) -> ChangeRecord:
    return ChangeRecord(
        id=change.id, municipality_code=change.municipality_code, old_stance=change.old_stance,
        new_stance=change.new_stance, status=change.status, recorded_at=change.created_at, evidence=obs.evidence,
        authority=obs.authority, confidence=obs.confidence, observed_on=obs.observed_on, document_url=doc.url,
        document_title=doc.title, page=obs.page, outlet=doc.outlet,
    )


def press_reports(session: Session, topic: str) -> list[PressReport]:
    """One row per municipality and press document that observed its stance, newest first."""
    query = (select(ObservationRow, DocumentRow)
             .join(DocumentRow, DocumentRow.id == ObservationRow.document_id)
             .join(SourceRow, SourceRow.id == DocumentRow.source_id)
             .where(ObservationRow.topic == topic, SourceRow.kind == SourceKind.PRESS.value)
             .order_by(ObservationRow.observed_on.desc(), ObservationRow.id.desc()))
    seen: set[tuple[str, int]] = set()
    reports = []
    for obs, doc in session.execute(query):
        if (obs.municipality_code, doc.id) not in seen:
            seen.add((obs.municipality_code, doc.id))
            reports.append(PressReport(obs.municipality_code, obs.stance, obs.evidence, doc.url, doc.title,
                                       doc.outlet, doc.published_on))
    return reports
