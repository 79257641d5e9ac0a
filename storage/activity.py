"""What happened in a period, for digests: announced changes, new mentions, sources that cannot be read."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.domain import (
    DigestContent,
    MentionNotice,
    MentionSnippet,
    Municipality,
    SourceHealthNotice,
    SourceHealthStatus,
    StanceChange,
)
from storage.models import DocumentRow, MentionRow, MunicipalityRow, SourceRow, StanceChangeRow
from storage.outbox import stance_change

_FAILED_OUTCOMES = ("failed", "crashed", "killed")


def digest_content(session: Session, start: datetime, end: datetime, topic: str) -> DigestContent:
    return DigestContent(start, end, tuple(announced_changes(session, start, end)),
                         tuple(new_mentions(session, start, end, topic)), tuple(failing_sources(session)))


def announced_changes(session: Session, start: datetime, end: datetime) -> list[StanceChange]:
    """Changes announced in [start, end), oldest first (baseline, held and rejected ones are not news)."""
    ids = session.scalars(select(StanceChangeRow.id).where(
        StanceChangeRow.status == "announced", StanceChangeRow.created_at >= start, StanceChangeRow.created_at < end,
    ).order_by(StanceChangeRow.created_at, StanceChangeRow.id))
    return [stance_change(session, change_id) for change_id in ids]


def new_mentions(session: Session, start: datetime, end: datetime, topic: str) -> list[MentionNotice]:
    """New mentions in documents analysed in [start, end), one notice per document."""
    rows = session.execute(
        select(MentionRow, DocumentRow).join(DocumentRow, MentionRow.document_id == DocumentRow.id)
        .where(MentionRow.is_new.is_(True), MentionRow.topic == topic,
               DocumentRow.analysed_at >= start, DocumentRow.analysed_at < end)
        .order_by(DocumentRow.id, MentionRow.start)
    ).all()
    by_document: dict[int, list[MentionRow]] = defaultdict(list)
    documents: dict[int, DocumentRow] = {}
    for mention, document in rows:
        by_document[document.id].append(mention)
        documents[document.id] = document
    return [_notice(session, documents[i], by_document[i], topic) for i in documents]


def _notice(session: Session, document: DocumentRow, mentions: list[MentionRow], topic: str) -> MentionNotice:
    source = session.get_one(SourceRow, document.source_id)
    place = _municipality(session, source.municipality_code)
    return MentionNotice(
        document_id=document.id, topic=topic, document_title=document.title, document_url=document.url,
        published_on=document.published_on, outlet=document.outlet,
        municipalities=(place,) if place else (),
        snippets=tuple(MentionSnippet(m.term, document.text[m.start:m.end] or m.term, m.snippet, m.page)
                       for m in mentions),
    )


def failing_sources(session: Session) -> list[SourceHealthNotice]:
    """Sources whose last crawl failed, by key."""
    rows = session.scalars(select(SourceRow).where(SourceRow.last_outcome.in_(_FAILED_OUTCOMES))
                           .order_by(SourceRow.key))
    return [_health(session, row) for row in rows]


def _health(session: Session, row: SourceRow) -> SourceHealthNotice:
    return SourceHealthNotice(
        source_key=row.key, status=SourceHealthStatus.FAILING,
        municipality=_municipality(session, row.municipality_code), error=row.last_error,
        consecutive_failures=row.consecutive_failures, last_success_at=row.last_success_at,
    )


def _municipality(session: Session, code: str | None) -> Municipality | None:
    row = session.get(MunicipalityRow, code) if code else None
    return Municipality(code=row.code, name=row.name, county=row.county, website=row.website) if row else None
