"""Press storage: the feed entry behind each press document, and stories with their copies.

Domain types in and out (monitor.domain); nothing here decides what is a copy (monitor.analysis.duplicates does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.domain import (
    ArticleInfo,
    FetchedDocument,
    SourceKind,
    Stance,
    Story,
    StoryCandidate,
    StoryCopy,
    TextSignature,
    TextSource,
)
from storage.models import (
    DocumentRow,
    ObservationRow,
    PressArticleRow,
    SourceRow,
    StoryDocumentRow,
    StoryRow,
)
from storage.repository import store_document


@dataclass(frozen=True)
class KnownArticle:
    url: str
    entry_updated: datetime | None  # the entry's time when it was last stored


@dataclass(frozen=True)
class ArticleRecord:
    """A stored press document with its feed entry, for status and tests."""

    document_id: int
    source_key: str
    url: str
    title: str
    outlet: str | None
    text_from: TextSource
    page_problem: str | None


# --- articles -------------------------------------------------------------------------------------


def store_article(session: Session, doc: FetchedDocument, run_id: int | None) -> str:
    """Store a press document (storage.repository.store_document) and its feed entry, in one transaction."""
    outcome = store_document(session, doc, run_id)
    if doc.article is not None:
        _record_entry(session, _current_id(session, doc.source_key, doc.url), doc.article)
    return outcome


def _current_id(session: Session, source_key: str, url: str) -> int:
    query = (select(DocumentRow.id).join(SourceRow, SourceRow.id == DocumentRow.source_id)
             .where(SourceRow.key == source_key, DocumentRow.url == url, DocumentRow.is_current.is_(True)))
    return session.scalars(query).one()


def _record_entry(session: Session, document_id: int, article: ArticleInfo) -> None:
    row = session.get(PressArticleRow, document_id) or PressArticleRow(document_id=document_id)
    row.feed_url, row.entry_id, row.entry_updated = article.feed_url, article.entry_id, article.entry_updated
    row.text_from, row.page_problem, row.summary = article.text_from.value, article.page_problem, article.summary
    session.add(row)


def known_articles(session: Session, source_key: str) -> dict[str, KnownArticle]:
    """Article URLs stored by any press source (so one article in two feeds is fetched once)."""
    if session.scalar(select(SourceRow.id).where(SourceRow.key == source_key)) is None:
        raise KeyError(f"unknown source {source_key!r}")
    query = (select(DocumentRow.url, PressArticleRow.entry_updated)
             .join(SourceRow, SourceRow.id == DocumentRow.source_id)
             .outerjoin(PressArticleRow, PressArticleRow.document_id == DocumentRow.id)
             .where(SourceRow.kind == SourceKind.PRESS.value, DocumentRow.is_current.is_(True)))
    known: dict[str, KnownArticle] = {}
    for url, updated in session.execute(query):
        previous = known.get(url)
        if previous is None or (updated and (previous.entry_updated is None or updated > previous.entry_updated)):
            known[url] = KnownArticle(url, updated)
    return known


def articles(session: Session, text_from: TextSource | None = None, limit: int | None = None) -> list[ArticleRecord]:
    """Current press documents with their feed entries, newest last (the last `limit` of them)."""
    query = (select(DocumentRow.id, SourceRow.key, DocumentRow.url, DocumentRow.title, DocumentRow.outlet,
                    PressArticleRow.text_from, PressArticleRow.page_problem)
             .join(PressArticleRow, PressArticleRow.document_id == DocumentRow.id)
             .join(SourceRow, SourceRow.id == DocumentRow.source_id)
             .where(DocumentRow.is_current.is_(True)).order_by(DocumentRow.id.desc()))
    if text_from is not None:
        query = query.where(PressArticleRow.text_from == text_from.value)
    rows = session.execute(query.limit(limit) if limit else query).all()
    return [ArticleRecord(id_, key, url, title, outlet, TextSource(source), problem)
            for id_, key, url, title, outlet, source, problem in reversed(rows)]


# --- stories --------------------------------------------------------------------------------------


def story_of(session: Session, document_id: int) -> int | None:
    return session.scalar(select(StoryDocumentRow.story_id).where(StoryDocumentRow.document_id == document_id))


def story_of_previous_version(session: Session, document_id: int) -> int | None:
    """The story of the document's previous version (same URL): an update in place stays in its story."""
    previous_id = session.scalar(select(DocumentRow.previous_id).where(DocumentRow.id == document_id))
    return story_of(session, previous_id) if previous_id else None


def candidates(session: Session, since: datetime, exclude_document_id: int) -> list[StoryCandidate]:
    """Copies of stories joined since `since`: what a new text is compared with."""
    query = (select(StoryDocumentRow).where(StoryDocumentRow.joined_at >= since,
                                            StoryDocumentRow.document_id != exclude_document_id)
             .order_by(StoryDocumentRow.document_id))
    return [StoryCandidate(row.story_id, row.document_id, TextSignature(tuple(row.minhash), row.shingles))
            for row in session.scalars(query)]


def start_story(session: Session, document_id: int, headline: str, signature: TextSignature,
                now: datetime) -> int:
    story = StoryRow(headline=headline, first_document_id=document_id, created_at=now)
    session.add(story)
    session.flush()
    join_story(session, story.id, document_id, signature, 1.0, now)
    return story.id


def join_story(session: Session, story_id: int, document_id: int, signature: TextSignature, similarity: float,
               now: datetime) -> None:
    session.merge(StoryDocumentRow(document_id=document_id, story_id=story_id, similarity=similarity,
                                   minhash=list(signature.minima), shingles=signature.shingles, joined_at=now))


def document_text(session: Session, document_id: int) -> str:
    return session.scalar(select(DocumentRow.text).where(DocumentRow.id == document_id)) or ""


def story_stances(session: Session, story_id: int, topic: str) -> set[tuple[str, Stance]]:
    """(municipality, stance) pairs already observed in any copy of the story."""
    query = (select(ObservationRow.municipality_code, ObservationRow.stance)
             .join(StoryDocumentRow, StoryDocumentRow.document_id == ObservationRow.document_id)
             .where(StoryDocumentRow.story_id == story_id, ObservationRow.topic == topic))
    return {(code, Stance(stance)) for code, stance in session.execute(query)}


def stories(session: Session, min_copies: int = 1) -> list[Story]:
    """Every story with its copies in the order they were joined."""
    query = (select(StoryRow.id, StoryRow.headline, DocumentRow.id, DocumentRow.url, DocumentRow.outlet,
                    DocumentRow.title, DocumentRow.published_on, StoryDocumentRow.similarity)
             .join(StoryDocumentRow, StoryDocumentRow.story_id == StoryRow.id)
             .join(DocumentRow, DocumentRow.id == StoryDocumentRow.document_id)
             .order_by(StoryRow.id, StoryDocumentRow.joined_at, DocumentRow.id))
    grouped: dict[int, tuple[str, list[StoryCopy]]] = {}
    for story_id, headline, *copy in session.execute(query):
        grouped.setdefault(story_id, (headline, []))[1].append(StoryCopy(*copy))
    return [Story(story_id, headline, tuple(copies)) for story_id, (headline, copies) in grouped.items()
            if len(copies) >= min_copies]
