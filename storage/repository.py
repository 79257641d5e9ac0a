"""Repository functions: the only place that speaks SQL.  Domain types in and out."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session

from monitor.domain import (
    Authority,
    FetchedDocument,
    Municipality,
    Observation,
    ReadState,
    SourceConfig,
    SourceKind,
    SourceState,
    Stance,
    StoredDocument,
)
from storage.models import (
    CrawlRunRow,
    CurrentStanceRow,
    DocumentRow,
    MentionRow,
    MunicipalityRow,
    ObservationRow,
    SourceRow,
)


class SourceLocked(RuntimeError):
    def __init__(self, source_key: str, holder: str, since: datetime):
        self.source_key, self.holder, self.since = source_key, holder, since
        super().__init__(f"source {source_key} is being crawled by {holder} since {since:%Y-%m-%d %H:%M:%S} UTC")


@dataclass(frozen=True)
class KnownDocument:
    url: str
    content_hash: str
    text_hash: str
    etag: str | None
    last_modified: str | None
    read_state: str = "read"  # monitor.domain.ReadState
    read_attempts: int = 1


# --- municipalities and sources -------------------------------------------------------------


def sync_municipalities(session: Session, municipalities: Iterable[Municipality]) -> None:
    existing = {row.code: row for row in session.scalars(select(MunicipalityRow))}
    for m in municipalities:
        row = existing.get(m.code) or MunicipalityRow(code=m.code)
        row.name, row.county, row.website = m.name, m.county, m.website
        session.add(row)


def sync_sources(session: Session, sources: Iterable[SourceConfig], now: datetime) -> None:
    existing = set(session.scalars(select(SourceRow.key)))
    for source in sources:
        if source.key not in existing:
            session.add(SourceRow(key=source.key, kind=source.kind.value,
                                  municipality_code=source.municipality_code, created_at=now))


def _source_row(session: Session, key: str) -> SourceRow:
    row = session.scalar(select(SourceRow).where(SourceRow.key == key))
    if row is None:
        raise KeyError(f"unknown source {key!r}")
    return row


def source_state(session: Session, key: str) -> SourceState:
    return _to_source_state(_source_row(session, key))


def source_states(session: Session) -> list[SourceState]:
    return [_to_source_state(r) for r in session.scalars(select(SourceRow).order_by(SourceRow.key))]


def _to_source_state(row: SourceRow) -> SourceState:
    return SourceState(
        key=row.key, kind=SourceKind(row.kind), municipality_code=row.municipality_code,
        baseline_at=row.baseline_at, last_attempt_at=row.last_attempt_at, last_success_at=row.last_success_at,
        last_new_document_at=row.last_new_document_at, last_outcome=row.last_outcome, last_error=row.last_error,
        consecutive_failures=row.consecutive_failures, health=row.health,
        last_warnings=tuple(row.last_warnings or ()),
    )


# --- crawl runs -------------------------------------------------------------------------------


def start_run(session: Session, source_key: str, holder: str, now: datetime, stale_after_s: int,
              holder_alive: Callable[[str], bool] = lambda _holder: True) -> int:
    """Take the source's lock and open a crawl run; raise SourceLocked if a live process holds it.

    The lock is a lease of `stale_after_s` seconds (`renew_lease` extends it) taken with one conditional
    UPDATE that matches only while the source is free or its lease has run out, so of two processes racing
    for one source exactly one wins, on PostgreSQL as on SQLite.  A holder known to be dead (`holder_alive`)
    loses its lock at once, again by a conditional UPDATE that names that holder.
    """
    source_id = _source_id(session, source_key)
    until = now + timedelta(seconds=stale_after_s)
    if not _take_lock(session, source_id, holder, now, until, _lock_is_free(now, stale_after_s)):
        _take_from_dead_holder(session, source_key, source_id, holder, now, until, holder_alive)
    _close_abandoned_runs(session, source_id, now)
    run = CrawlRunRow(source_id=source_id, started_at=now, holder=holder)
    session.add(run)
    session.flush()
    return run.id


def _source_id(session: Session, key: str) -> int:
    source_id = session.scalar(select(SourceRow.id).where(SourceRow.key == key))
    if source_id is None:
        raise KeyError(f"unknown source {key!r}")
    return source_id


def _lock_is_free(now: datetime, lease_s: int) -> ColumnElement[bool]:
    """No holder, or a lease that ran out (a lock from before leases: its age)."""
    return or_(SourceRow.lock_holder.is_(None), SourceRow.lock_until < now,
               and_(SourceRow.lock_until.is_(None), SourceRow.lock_since <= now - timedelta(seconds=lease_s)))


def _take_lock(session: Session, source_id: int, holder: str, now: datetime, until: datetime,
               condition: ColumnElement[bool]) -> bool:
    """The conditional UPDATE: True when it matched, that is when this caller now holds the lock."""
    result = session.execute(
        update(SourceRow).where(SourceRow.id == source_id, condition)
        .values(lock_holder=holder, lock_since=now, lock_until=until, last_attempt_at=now)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1  # type: ignore[attr-defined]


def _take_from_dead_holder(session: Session, source_key: str, source_id: int, holder: str, now: datetime,
                           until: datetime, holder_alive: Callable[[str], bool]) -> None:
    lock = current_lock(session, source_key)
    if lock is None:  # released between the UPDATE and this read: take it as free
        if _take_lock(session, source_id, holder, now, until, SourceRow.lock_holder.is_(None)):
            return
        lock = current_lock(session, source_key)
    if lock is None or holder_alive(lock.holder) or not _take_lock(
            session, source_id, holder, now, until,
            and_(SourceRow.lock_holder == lock.holder, SourceRow.lock_since == lock.since)):
        lock = lock or SourceLock(source_key, "another process", now, None)
        raise SourceLocked(source_key, lock.holder, lock.since)


@dataclass(frozen=True)
class SourceLock:
    """Who holds a source's crawl lock, since when, and until when its lease runs (None: no lease)."""

    source_key: str
    holder: str
    since: datetime
    until: datetime | None


def current_lock(session: Session, source_key: str) -> SourceLock | None:
    """The lock as committed now (read past the session's cache)."""
    row = session.execute(select(SourceRow.lock_holder, SourceRow.lock_since, SourceRow.lock_until)
                          .where(SourceRow.key == source_key)).one_or_none()
    if row is None or row.lock_holder is None:
        return None
    return SourceLock(source_key, row.lock_holder, row.lock_since or row.lock_until, row.lock_until)


def renew_lease(session: Session, source_keys: Iterable[str], holder: str, now: datetime,
                lease_s: int) -> set[str]:
    """Extend `holder`'s leases on these sources; returns the keys it still holds (a lost one is not taken back)."""
    held = set()
    for key in source_keys:
        result = session.execute(
            update(SourceRow).where(SourceRow.key == key, SourceRow.lock_holder == holder)
            .values(lock_until=now + timedelta(seconds=lease_s))
            .execution_options(synchronize_session=False))
        if result.rowcount == 1:  # type: ignore[attr-defined]
            held.add(key)
    return held


def _close_abandoned_runs(session: Session, source_id: int, now: datetime) -> None:
    runs = session.scalars(select(CrawlRunRow).where(CrawlRunRow.source_id == source_id,
                                                     CrawlRunRow.outcome == "running"))
    for run in runs:
        run.outcome, run.finished_at = "crashed", now
        run.error = "crawl process ended without finishing"


MAX_WARNINGS = 50  # per run: enough to see what went wrong, bounded when a whole listing fails


def finish_run(session: Session, run_id: int, ok: bool, error: str | None, now: datetime,
               outcome: str | None = None, warnings: Sequence[str] = ()) -> None:
    """Close the run, release the lock and update the source's health record."""
    run = session.get_one(CrawlRunRow, run_id)
    source = session.get_one(SourceRow, run.source_id, with_for_update=True, populate_existing=True)
    run.documents_seen, run.documents_new = _run_counts(session, run_id, run)
    run.finished_at, run.error = now, error
    run.warnings = source.last_warnings = [warning[:500] for warning in warnings[:MAX_WARNINGS]]
    run.outcome = outcome or ("ok" if ok else "failed")
    if source.lock_holder == run.holder:  # a run whose lease ran out and was taken over leaves the new lock be
        source.lock_holder = source.lock_since = source.lock_until = None
    source.last_outcome, source.last_error = run.outcome, error
    if ok:
        source.last_success_at, source.consecutive_failures = now, 0
        source.baseline_at = source.baseline_at or now
        if run.documents_new:
            source.last_new_document_at = now
    else:
        source.consecutive_failures += 1


def _run_counts(session: Session, run_id: int, run: CrawlRunRow) -> tuple[int, int]:
    new = session.scalar(select(func.count()).where(DocumentRow.crawl_run_id == run_id)) or 0
    return max(run.documents_seen, new), new


def add_seen(session: Session, run_id: int, count: int) -> None:
    session.execute(update(CrawlRunRow).where(CrawlRunRow.id == run_id)
                    .values(documents_seen=CrawlRunRow.documents_seen + count))


def abandon_stale_runs(session: Session, now: datetime, older_than_s: int,
                       holder_alive: Callable[[str], bool] = lambda _holder: True) -> int:
    """Runs left 'running' by a process that is gone (or older than the limit): mark crashed, release locks."""
    stale = list(session.scalars(select(CrawlRunRow).where(CrawlRunRow.outcome == "running")))
    count = 0
    for run in stale:
        if not holder_alive(run.holder or "") or (now - run.started_at).total_seconds() >= older_than_s:
            finish_run(session, run.id, ok=False, error="crawl process ended without finishing", now=now,
                       outcome="crashed")
            count += 1
    return count


# --- documents --------------------------------------------------------------------------------


def known_documents(session: Session, source_key: str) -> dict[str, KnownDocument]:
    source = _source_row(session, source_key)
    rows = session.scalars(select(DocumentRow).where(DocumentRow.source_id == source.id,
                                                     DocumentRow.is_current.is_(True)))
    return {r.url: KnownDocument(r.url, r.content_hash, r.text_hash, r.etag, r.last_modified, r.read_state,
                                 r.read_attempts) for r in rows}


def store_document(session: Session, doc: FetchedDocument, run_id: int | None) -> str:
    """Store one fetched version.  Returns 'new', 'changed', 'unchanged' or 'same_text'."""
    source = _source_row(session, doc.source_key)
    current = session.scalar(select(DocumentRow).where(
        DocumentRow.source_id == source.id, DocumentRow.url == doc.url, DocumentRow.is_current.is_(True)))
    if current is not None and _same_content(current, doc):
        current.etag, current.last_modified = doc.etag or current.etag, doc.last_modified or current.last_modified
        current.read_attempts += 1 if current.read_state == ReadState.REFETCH else 0
        return "unchanged"
    duplicate = current is None and doc.text_hash and _text_known(session, source.id, doc.text_hash)
    row = _new_document_row(source.id, run_id, doc, current)
    row.analysis_state = "skipped" if duplicate else "pending"
    row.read_state = doc.read_state.value
    if current is not None and current.read_state == ReadState.REFETCH and doc.read_state is not ReadState.READ:
        row.read_attempts = current.read_attempts + 1
    if current is not None:
        current.is_current = False
    session.add(row)
    session.flush()
    return "same_text" if duplicate else ("changed" if current is not None else "new")


def _same_content(current: DocumentRow, doc: FetchedDocument) -> bool:
    if current.content_hash == doc.content_hash:
        return True
    return bool(doc.text_hash) and current.text_hash == doc.text_hash and not doc.error


def _text_known(session: Session, source_id: int, text_hash: str) -> bool:
    found = session.scalar(select(DocumentRow.id).where(DocumentRow.source_id == source_id,
                                                        DocumentRow.text_hash == text_hash).limit(1))
    return found is not None


def _new_document_row(source_id: int, run_id: int | None, doc: FetchedDocument,
                      previous: DocumentRow | None) -> DocumentRow:
    return DocumentRow(
        source_id=source_id, crawl_run_id=run_id, url=doc.url,
        version=(previous.version + 1) if previous else 1, previous_id=previous.id if previous else None,
        fetched_at=doc.fetched_at, published_on=doc.published_on, content_type=doc.content_type,
        content_hash=doc.content_hash, text_hash=doc.text_hash, raw_path=doc.content_hash,
        title=doc.title, text=doc.text, pages=list(doc.pages), extractor=doc.extractor, error=doc.error,
        etag=doc.etag, last_modified=doc.last_modified, outlet=doc.outlet,
        analysis_state="pending",
    )


def pending_documents(session: Session, limit: int = 100) -> list[StoredDocument]:
    rows = session.scalars(select(DocumentRow).where(DocumentRow.analysis_state == "pending")
                           .order_by(DocumentRow.id).limit(limit))
    return [_to_stored(session, row) for row in rows]


def _to_stored(session: Session, row: DocumentRow) -> StoredDocument:
    source = session.get_one(SourceRow, row.source_id)
    previous = session.get(DocumentRow, row.previous_id) if row.previous_id else None
    return StoredDocument(
        id=row.id, source_key=source.key, municipality_code=source.municipality_code,
        source_kind=SourceKind(source.kind), url=row.url, title=row.title, text=row.text,
        text_hash=row.text_hash, published_on=row.published_on, fetched_at=row.fetched_at,
        pages=tuple(row.pages or ()), previous_text=previous.text if previous else None, outlet=row.outlet,
        error=row.error, baseline_at=source.baseline_at,
    )


def mark_analysed(session: Session, document_id: int, now: datetime) -> None:
    row = session.get_one(DocumentRow, document_id)
    row.analysis_state, row.analysed_at = "done", now


def add_mention(session: Session, document_id: int, topic: str, term: str, start: int, end: int,
                snippet: str, page: int | None, is_new: bool) -> None:
    session.add(MentionRow(document_id=document_id, topic=topic, term=term, start=start, end=end,
                           snippet=snippet, page=page, is_new=is_new))


def add_observation(session: Session, document_id: int, topic: str, municipality_code: str, stance: Stance,
                    confidence: float, evidence: str, evidence_start: int, page: int | None,
                    authority: Authority, observed_on: date, now: datetime, reviewed: bool = False) -> int:
    row = ObservationRow(document_id=document_id, topic=topic, municipality_code=municipality_code,
                         stance=stance.value, confidence=confidence, evidence=evidence,
                         evidence_start=evidence_start, page=page, authority=authority.value,
                         observed_on=observed_on, created_at=now, reviewed=reviewed)
    session.add(row)
    session.flush()
    return row.id


# --- stances ----------------------------------------------------------------------------------


def observations(session: Session, municipality_code: str, topic: str) -> list[Observation]:
    query = (select(ObservationRow, DocumentRow).join(DocumentRow, ObservationRow.document_id == DocumentRow.id)
             .where(ObservationRow.municipality_code == municipality_code, ObservationRow.topic == topic)
             .order_by(ObservationRow.id))
    return [_to_observation(o, d) for o, d in session.execute(query)]


def observation(session: Session, observation_id: int) -> Observation:
    row = session.get_one(ObservationRow, observation_id)
    return _to_observation(row, session.get_one(DocumentRow, row.document_id))


def _to_observation(row: ObservationRow, doc: DocumentRow) -> Observation:
    return Observation(
        id=row.id, municipality_code=row.municipality_code, stance=Stance(row.stance),
        confidence=row.confidence, evidence=row.evidence, authority=Authority(row.authority),
        observed_on=row.observed_on, document_id=doc.id, document_url=doc.url, document_title=doc.title,
        page=row.page, outlet=doc.outlet, reviewed=bool(row.reviewed),
    )


def current_stance(session: Session, municipality_code: str, topic: str) -> tuple[Stance, int | None]:
    row = session.get(CurrentStanceRow, (municipality_code, topic))
    return (Stance(row.stance), row.observation_id) if row else (Stance.UNKNOWN, None)


def set_current_stance(session: Session, municipality_code: str, topic: str, stance: Stance,
                       observation_id: int, now: datetime) -> None:
    row = session.get(CurrentStanceRow, (municipality_code, topic))
    if row is None:
        row = CurrentStanceRow(municipality_code=municipality_code, topic=topic)
        session.add(row)
    if row.stance != stance.value:
        row.since = now
    row.stance, row.observation_id = stance.value, observation_id


def set_health(session: Session, source_key: str, health: str) -> None:
    _source_row(session, source_key).health = health
