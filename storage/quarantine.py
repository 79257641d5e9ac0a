"""Documents whose text could not be read: which wait, and recording a new reading of their stored bytes.

The policy (what is read again, and when) lives in crawler.extraction.reread; this module only speaks SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.domain import ReadState
from storage.models import DocumentRow, SourceRow


@dataclass(frozen=True)
class UnreadDocument:
    id: int
    source_key: str
    url: str
    content_type: str
    raw_path: str  # the content hash: the key of its bytes in the raw store
    extractor: str  # what failed to read it
    read_state: ReadState
    read_attempts: int


@dataclass(frozen=True)
class Reading:
    """A new reading of a stored document's bytes."""

    text: str
    text_hash: str
    pages: tuple[int, ...]
    extractor: str
    error: str | None
    read_state: ReadState


def unread_documents(session: Session, states: Iterable[ReadState],
                     source_keys: Iterable[str] | None = None) -> list[UnreadDocument]:
    """Current documents in one of `states`, oldest first (of the given sources, else of all)."""
    query = (select(DocumentRow, SourceRow.key).join(SourceRow, SourceRow.id == DocumentRow.source_id)
             .where(DocumentRow.is_current.is_(True), DocumentRow.read_state.in_([s.value for s in states]))
             .order_by(DocumentRow.id))
    if source_keys is not None:
        query = query.where(SourceRow.key.in_(list(source_keys)))
    return [_unread(row, key) for row, key in session.execute(query)]


def _unread(row: DocumentRow, source_key: str) -> UnreadDocument:
    return UnreadDocument(row.id, source_key, row.url, row.content_type, row.raw_path, row.extractor,
                          ReadState(row.read_state), row.read_attempts)


def record_reading(session: Session, document_id: int, reading: Reading, now: datetime) -> None:
    """Replace the document's text with a new reading of the same bytes; a readable text is analysed anew."""
    row = session.get_one(DocumentRow, document_id)
    row.text, row.text_hash, row.pages = reading.text, reading.text_hash, list(reading.pages)
    row.extractor, row.error, row.read_state = reading.extractor, reading.error, reading.read_state.value
    row.read_attempts += 1
    if reading.read_state is ReadState.READ:
        row.analysis_state = "skipped" if _same_text_elsewhere(session, row) else "pending"
        row.analysed_at = None if row.analysis_state == "pending" else now


def _same_text_elsewhere(session: Session, row: DocumentRow) -> bool:
    found = session.scalar(select(DocumentRow.id).where(
        DocumentRow.source_id == row.source_id, DocumentRow.text_hash == row.text_hash, DocumentRow.id != row.id,
        DocumentRow.is_current.is_(True)).limit(1))
    return found is not None


def read_state_counts(session: Session) -> dict[ReadState, int]:
    """How many current documents are in each read state (states with none are left out)."""
    query = (select(DocumentRow.read_state, func.count()).where(DocumentRow.is_current.is_(True))
             .group_by(DocumentRow.read_state))
    return {ReadState(state): count for state, count in session.execute(query)}
