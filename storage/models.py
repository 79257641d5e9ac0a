"""SQLAlchemy 2.0 typed models.  Only `storage` sees these classes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC on the way in and out, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to storage; use timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class MunicipalityRow(Base):
    __tablename__ = "municipalities"
    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    county: Mapped[str] = mapped_column(String(100))
    website: Mapped[str] = mapped_column(String(300), default="")


class SourceRow(Base):
    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    municipality_code: Mapped[str | None] = mapped_column(ForeignKey("municipalities.code"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    baseline_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_new_document_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    health: Mapped[str] = mapped_column(String(20), default="ok")  # ok | failing | stale
    lock_holder: Mapped[str | None] = mapped_column(String(200), nullable=True)
    lock_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    lock_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # the lock's lease runs out
    last_warnings: Mapped[list] = mapped_column(JSON, default=list)  # what the last crawl could not fetch


class CrawlRunRow(Base):
    __tablename__ = "crawl_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    outcome: Mapped[str] = mapped_column(String(20), default="running")  # running|ok|failed|killed|crashed
    documents_seen: Mapped[int] = mapped_column(Integer, default=0)
    documents_new: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    holder: Mapped[str | None] = mapped_column(String(200), nullable=True)
    warnings: Mapped[list] = mapped_column(JSON, default=list)  # documents it could not fetch, and why


class DocumentRow(Base):
    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_source_url", "source_id", "url"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    crawl_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id"), nullable=True)
    url: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    content_type: Mapped[str] = mapped_column(String(100), default="")
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    text_hash: Mapped[str] = mapped_column(String(64), index=True, default="")
    raw_path: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    pages: Mapped[list] = mapped_column(JSON, default=list)
    extractor: Mapped[str] = mapped_column(String(100), default="")
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    etag: Mapped[str | None] = mapped_column(String(300), nullable=True)
    last_modified: Mapped[str | None] = mapped_column(String(100), nullable=True)
    outlet: Mapped[str | None] = mapped_column(String(200), nullable=True)
    analysis_state: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # pending|done|skipped
    analysed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # read | needs_ocr | quarantined | refetch (monitor.domain.ReadState); how often it was fetched or read
    read_state: Mapped[str] = mapped_column(String(20), default="read", server_default="read", index=True)
    read_attempts: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class MentionRow(Base):
    __tablename__ = "mentions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    topic: Mapped[str] = mapped_column(String(50))
    term: Mapped[str] = mapped_column(String(200))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    snippet: Mapped[str] = mapped_column(Text)
    is_new: Mapped[bool] = mapped_column(Boolean, default=True)


class ObservationRow(Base):
    __tablename__ = "stance_observations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"), index=True)
    topic: Mapped[str] = mapped_column(String(50))
    stance: Mapped[str] = mapped_column(String(20))
    confidence: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text)
    evidence_start: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    authority: Mapped[str] = mapped_column(String(20))
    observed_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # a person approved it (from a review candidate): the change decision never holds it again
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class StanceCandidateRow(Base):
    """A sentence that may state a municipality's stance, which the analysis could not attribute with
    confidence: shown in `kommunvakt review` until a person approves (it becomes an observation) or rejects it."""

    __tablename__ = "stance_candidates"
    __table_args__ = (UniqueConstraint("document_id", "municipality_code", "evidence_start",
                                       name="uq_stance_candidates_document_place_start"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    topic: Mapped[str] = mapped_column(String(50))
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"), index=True)
    stance: Mapped[str | None] = mapped_column(String(20), nullable=True)  # what the predicate suggests, if any
    confidence: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str] = mapped_column(Text)
    evidence_start: Mapped[int] = mapped_column(Integer)
    page: Mapped[int | None] = mapped_column(Integer, nullable=True)
    authority: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # pending|approved|rejected
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class StanceChangeRow(Base):
    __tablename__ = "stance_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"), index=True)
    topic: Mapped[str] = mapped_column(String(50))
    old_stance: Mapped[str] = mapped_column(String(20))
    new_stance: Mapped[str] = mapped_column(String(20))
    observation_id: Mapped[int] = mapped_column(ForeignKey("stance_observations.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # announced: alerted; baseline: recorded silently; held: waits for review; rejected: a reviewer said no
    status: Mapped[str] = mapped_column(String(20))


class CurrentStanceRow(Base):
    """The last announced (or baseline) stance per municipality and topic."""

    __tablename__ = "current_stances"
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(50), primary_key=True)
    stance: Mapped[str] = mapped_column(String(20))
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    observation_id: Mapped[int] = mapped_column(ForeignKey("stance_observations.id"))


class AlertRow(Base):
    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("idempotency_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(300))
    event_type: Mapped[str] = mapped_column(String(30))
    target: Mapped[str] = mapped_column(String(200))
    stance_change_id: Mapped[int | None] = mapped_column(ForeignKey("stance_changes.id"), nullable=True)
    municipality_code: Mapped[str | None] = mapped_column(String(4), nullable=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # pending|sending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class AlertAttemptRow(Base):
    __tablename__ = "alert_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


# --- press (issue 5): feed entries and stories ------------------------------------------------


class PressArticleRow(Base):
    """The feed entry a press document came from, and where its text came from."""

    __tablename__ = "press_articles"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    feed_url: Mapped[str] = mapped_column(Text)
    entry_id: Mapped[str] = mapped_column(Text)
    entry_updated: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    text_from: Mapped[str] = mapped_column(String(20))  # page | feed_summary (monitor.domain.TextSource)
    page_problem: Mapped[str | None] = mapped_column(Text, nullable=True)
    summary: Mapped[str] = mapped_column(Text, default="")


class StoryRow(Base):
    """One press story; its copies are StoryDocumentRows."""

    __tablename__ = "stories"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    headline: Mapped[str] = mapped_column(Text, default="")
    first_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StoryDocumentRow(Base):
    __tablename__ = "story_documents"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), index=True)
    similarity: Mapped[float] = mapped_column(Float)
    minhash: Mapped[list] = mapped_column(JSON, default=list)  # monitor.analysis.duplicates signature minima
    shingles: Mapped[int] = mapped_column(Integer, default=0)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


# --- operations (issue 15): the daemon's heartbeat ----------------------------------------------


class HeartbeatRow(Base):
    """When a daemon last showed it was alive; one row per host (`kommunvakt health` reads the newest)."""

    __tablename__ = "daemon_heartbeats"
    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    holder: Mapped[str] = mapped_column(String(300))  # "daemon pid 4242 on host"
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime)


# --- crawl workers (issue 17): nodes and the jobs handed to them ------------------------------


class WorkerNodeRow(Base):
    """A crawl worker node and its heartbeat; what it crawls is the sources whose lock its holder has."""

    __tablename__ = "worker_nodes"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))  # how its source locks name it
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(20))  # working | stopped


class CrawlJobRow(Base):
    """One crawl job handed to the workers: queued by the daemon, run (and maybe taken up again) by a node."""

    __tablename__ = "crawl_jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_keys: Mapped[list] = mapped_column(JSON, default=list)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(20), default="queued", index=True)  # queued|running|done|failed
    node: Mapped[str | None] = mapped_column(String(200), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
