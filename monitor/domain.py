"""Domain types shared by every package.

These frozen dataclasses and enums are what crosses package boundaries: the
crawler produces :class:`FetchedDocument`, the analysis produces
:class:`AnalysisResult`, storage returns :class:`StoredDocument`,
:class:`StanceChange` and :class:`PendingAlert`, the alerts package consumes
them.  No ORM object and no dict-of-dicts leaves its package.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime


class Stance(enum.StrEnum):
    DECLINED = "declined"
    ACCEPTED = "accepted"
    NEUTRAL = "neutral"
    UNKNOWN = "unknown"  # no observation yet; never produced by the analysis


class Authority(enum.StrEnum):
    """Who speaks in a document; decides which observation wins."""

    DECISION = "decision"  # a decision or answer in the municipality's own protocol
    STATEMENT = "statement"  # a signed statement/letter of the municipality
    PRESS = "press"  # a press report about the municipality

    @property
    def rank(self) -> int:
        return 1 if self is Authority.PRESS else 2


class SourceKind(enum.StrEnum):
    PROTOCOLS = "protocols"
    PRESS = "press"


class ReadState(enum.StrEnum):
    """Whether a stored document's text could be read, and what happens to it next (see crawler.extraction.reread)."""

    READ = "read"
    NEEDS_OCR = "needs_ocr"  # no text layer and no OCR here: read again once Tesseract is installed
    QUARANTINED = "quarantined"  # could not be read: not fetched or read again until the extractor changes
    REFETCH = "refetch"  # the server sent something else (an error page): downloaded again, a bounded number of times


class EventType(enum.StrEnum):
    STANCE_CHANGE = "stance_change"
    NEW_MENTION = "new_mention"
    SOURCE_HEALTH = "source_health"
    DIGEST = "digest"


@dataclass(frozen=True)
class Municipality:
    code: str  # SCB kommunkod, 4 digits
    name: str  # "Göteborg"
    county: str  # "Västra Götalands län"
    website: str = ""
    # Other spellings that unambiguously mean this municipality ("Gothenburg", "Göteborgs stad").
    aliases: tuple[str, ...] = ()
    # True when the bare name is an ordinary word or a place name that needs "kommun" around it.
    ambiguous: bool = False


@dataclass(frozen=True)
class Mention:
    term: str  # the canonical topic term that matched
    start: int  # offsets into the document's extracted text
    end: int
    snippet: str  # the surrounding sentence(s), verbatim from the text
    page: int | None = None
    matched: str = ""  # the text as it stood in the document


@dataclass(frozen=True)
class StanceFinding:
    """One stance the analysis read in a text (pure result, not yet stored)."""

    municipality_code: str
    municipality: str
    stance: Stance
    confidence: float
    evidence: str  # verbatim substring of the analysed text
    evidence_start: int
    authority: Authority


@dataclass(frozen=True)
class StanceCandidate:
    """A sentence that may state a municipality's stance, which the rules could not attribute with confidence.

    Not a finding: it never changes the stance table by itself; it is shown for review with its sentence.
    """

    municipality_code: str
    municipality: str
    stance: Stance | None  # the stance the predicate suggests, if any
    confidence: float
    evidence: str  # verbatim sentence of the analysed text
    evidence_start: int
    authority: Authority
    reason: str  # why it is no finding: "no subject", "party speaks", ...


@dataclass(frozen=True)
class ReviewCandidate:
    """A stored :class:`StanceCandidate` as `kommunvakt review` shows it, with the document it was read in."""

    id: int
    municipality_code: str
    municipality: str
    topic: str
    stance: Stance | None
    confidence: float
    evidence: str
    evidence_start: int
    page: int | None
    authority: Authority
    reason: str
    status: str  # pending | approved | rejected
    document_id: int
    document_title: str
    document_url: str
    observed_on: date  # the document's publication date, else the day it was fetched
    created_at: datetime


@dataclass(frozen=True)
class AnalysisResult:
    mentions: tuple[Mention, ...]
    municipalities: tuple[str, ...]  # codes the text is about, in order of first appearance
    stances: tuple[StanceFinding, ...]
    candidates: tuple[StanceCandidate, ...] = ()


@dataclass(frozen=True)
class SourceConfig:
    key: str  # stable identity of the source, e.g. "0665-protocols"
    kind: SourceKind
    municipality_code: str | None  # None for press feeds covering many
    start_urls: tuple[str, ...] = ()
    feed_urls: tuple[str, ...] = ()
    max_depth: int = 3
    enabled: bool = True
    schedule: str | None = None  # cron expression
    every: str | None = None  # duration such as "6h"
    outlet: str | None = None  # press: the outlet a single-outlet feed speaks for ("SVT Nyheter")


@dataclass(frozen=True)
class FetchedDocument:
    """What the crawler hands to storage for one fetched URL."""

    source_key: str
    url: str
    fetched_at: datetime
    content_type: str
    content_hash: str  # sha256 of the raw bytes
    raw: bytes
    text: str = ""
    text_hash: str = ""  # sha256 of the normalised text
    title: str = ""
    published_on: date | None = None
    extractor: str = ""  # e.g. "pdfminer.six/20240706", "trafilatura/2.0"
    pages: tuple[int, ...] = ()  # start offset of each page in `text` (PDF only)
    error: str | None = None  # set when the text could not be extracted
    etag: str | None = None
    last_modified: str | None = None
    outlet: str | None = None  # press only
    article: ArticleInfo | None = None  # press only: the feed entry and where the text came from
    read_state: ReadState = ReadState.READ


class TextSource(enum.StrEnum):
    """Where a press document's text came from."""

    PAGE = "page"  # the article page, read with trafilatura
    FEED_SUMMARY = "feed_summary"  # the feed entry's summary: the page could not be fetched or read


@dataclass(frozen=True)
class ArticleInfo:
    """A press document's feed entry, kept with the document."""

    feed_url: str
    entry_id: str  # the entry's guid/id, else its link
    text_from: TextSource = TextSource.PAGE
    page_problem: str | None = None  # why the page's text was not used (set with FEED_SUMMARY)
    summary: str = ""  # the entry's summary as plain text
    entry_updated: datetime | None = None  # the entry's updated (else published) time, aware UTC


@dataclass(frozen=True)
class TextSignature:
    """A MinHash signature of a text's word shingles (monitor.analysis.duplicates), to find copies of one story."""

    minima: tuple[int, ...]
    shingles: int  # how many distinct shingles the text has


@dataclass(frozen=True)
class StoryCandidate:
    """A stored copy of a story that a new press text may be another copy of."""

    story_id: int
    document_id: int
    signature: TextSignature


@dataclass(frozen=True)
class StoryCopy:
    document_id: int
    url: str
    outlet: str | None
    title: str
    published_on: date | None
    similarity: float  # to the copy it was matched with (1.0 for the first)


@dataclass(frozen=True)
class Story:
    """One press story and every copy of it (syndicated, republished or updated)."""

    id: int
    headline: str
    copies: tuple[StoryCopy, ...]


def page_of(pages: Sequence[int], offset: int) -> int | None:
    """The page (1-based) that `offset` falls on, given where each page starts; None without pages."""
    return bisect.bisect_right(pages, offset) if pages else None


@dataclass(frozen=True)
class StoredDocument:
    id: int
    source_key: str
    municipality_code: str | None
    source_kind: SourceKind
    url: str
    title: str
    text: str
    text_hash: str
    published_on: date | None
    fetched_at: datetime
    pages: tuple[int, ...] = ()
    previous_text: str | None = None  # text of the previous version of the same URL
    outlet: str | None = None
    error: str | None = None  # why no text could be extracted
    baseline_at: datetime | None = None  # when the source's first successful crawl ended


@dataclass(frozen=True)
class Observation:
    """A stored stance observation with where it came from."""

    id: int
    municipality_code: str
    stance: Stance
    confidence: float
    evidence: str
    authority: Authority
    observed_on: date
    document_id: int
    document_url: str
    document_title: str
    page: int | None = None
    outlet: str | None = None
    reviewed: bool = False  # a person approved it (`kommunvakt review --approve-candidate`): never held again


@dataclass(frozen=True)
class StanceChange:
    id: int
    municipality_code: str
    municipality: str
    county: str
    topic: str
    old_stance: Stance
    new_stance: Stance
    observation: Observation
    created_at: datetime
    held_for_review: bool = False


@dataclass(frozen=True)
class AlertMessage:
    title: str
    body: str


@dataclass(frozen=True)
class PendingAlert:
    id: int
    idempotency_key: str
    target: str
    event_type: EventType
    title: str
    body: str
    attempts: int


@dataclass(frozen=True)
class CrawlSummary:
    """What a crawl child reports for one source."""

    source_key: str
    ok: bool
    documents_seen: int = 0
    documents_new: int = 0
    errors: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def failure(cls, source_key: str, message: str) -> CrawlSummary:
        """A source that could not be crawled at all, and why."""
        return cls(source_key, ok=False, errors=(message,))


# --- alerts: what they are about, and where they stand ------------------------------------


class AlertStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class SourceHealthStatus(enum.StrEnum):
    FAILING = "failing"  # failed several crawls in a row
    STALE = "stale"  # crawls succeed but nothing new for far longer than expected
    RECOVERED = "recovered"


@dataclass(frozen=True)
class NewAlert:
    idempotency_key: str
    event_type: EventType
    target: str
    title: str
    body: str
    municipality_code: str | None = None
    payload: dict | None = None


@dataclass(frozen=True)
class AlertRecord:
    """One alert as `kommunvakt alerts list` shows it."""

    id: int
    idempotency_key: str
    event_type: EventType
    target: str
    status: AlertStatus
    attempts: int  # attempts in the current round (reset by a retry of a failed alert)
    total_attempts: int  # every attempt ever recorded
    title: str
    municipality_code: str | None
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str | None
    claimed_by: str | None


@dataclass(frozen=True)
class MentionSnippet:
    term: str
    matched: str  # the text as it stood in the document; highlighted in the snippet
    snippet: str
    page: int | None = None


@dataclass(frozen=True)
class MentionNotice:
    """New mentions of the topic in one document: what a `new_mention` alert is about."""

    document_id: int
    topic: str
    document_title: str
    document_url: str
    published_on: date | None
    outlet: str | None
    municipalities: tuple[Municipality, ...]  # the municipalities the document is about
    snippets: tuple[MentionSnippet, ...]


@dataclass(frozen=True)
class SourceHealthNotice:
    """A source that stopped (or started again) being readable."""

    source_key: str
    status: SourceHealthStatus
    municipality: Municipality | None
    error: str | None
    consecutive_failures: int
    last_success_at: datetime | None
    run_id: int | None = None  # the crawl run that showed it; makes the event's idempotency key
    observed_at: datetime | None = None  # when it was noticed (the key when there is no run id)


@dataclass(frozen=True)
class DigestContent:
    period_start: datetime  # inclusive, UTC
    period_end: datetime  # exclusive, UTC
    changes: tuple[StanceChange, ...] = ()
    mentions: tuple[MentionNotice, ...] = ()
    failing_sources: tuple[SourceHealthNotice, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.changes or self.mentions or self.failing_sources)


@dataclass(frozen=True)
class SourceState:
    key: str
    kind: SourceKind
    municipality_code: str | None
    baseline_at: datetime | None
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    last_new_document_at: datetime | None
    last_outcome: str | None
    last_error: str | None
    consecutive_failures: int
    health: str
    last_warnings: tuple[str, ...] = ()  # what the last crawl could not fetch (it still counts as ok)
