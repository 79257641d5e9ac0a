"""The analysis stage for press documents: which story a text belongs to, and what is new in it.

A press text that mentions the topic joins a story: the story of its previous version (an update in
place), else the story of the most similar recent copy (monitor.analysis.duplicates), else a new one.  A copy is then
analysed against the copy it matched, as a new version would be against the old one: only sentences
the story did not have yet count as new, and a stance the story already gave is not observed again.  So
the same story from three outlets is one set of observations and one alert.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from monitor.analysis.duplicates import best_match, unseen
from monitor.analysis.duplicates import signature as signature_of
from monitor.domain import AnalysisResult, StoredDocument
from storage import press_articles as stored

STORY_WINDOW = timedelta(days=30)  # copies older than this start a new story


@dataclass(frozen=True)
class StoryContext:
    story_id: int
    document: StoredDocument  # previous_text: the copy it matched, when it has no own previous version
    result: AnalysisResult  # without stances the story already gave
    is_copy: bool = False  # it joined a story another document told first (not a new version of itself)


def in_story(session: Session, document: StoredDocument, result: AnalysisResult, topic: str,
             now: datetime) -> StoryContext:
    """Join the document to its story (or start one) and say what of it is new to the story."""
    signature = signature_of(document.text)
    existing = stored.story_of(session, document.id)
    story_id = existing or stored.story_of_previous_version(session, document.id)
    match = None if story_id else best_match(
        signature, stored.candidates(session, now - STORY_WINDOW, exclude_document_id=document.id))
    if match is not None:
        story_id = match.story_id
    seen = stored.story_stances(session, story_id, topic) if story_id else set()
    if story_id is None:
        story_id = stored.start_story(session, document.id, document.title, signature, now)
    elif existing is None:
        stored.join_story(session, story_id, document.id, signature, match.score if match else 1.0, now)
    if match is not None and document.previous_text is None:
        document = replace(document, previous_text=stored.document_text(session, match.document_id))
    return StoryContext(story_id, document, unseen(result, seen), is_copy=match is not None)
