"""The analysis stage for press documents: which story a text belongs to, and what is new in it.

A press text that mentions the topic joins a story: the story of its previous version (an update in
place), else the story of the most similar recent copy (monitor.stories), else a new one.  A copy is then
analysed against the copy it matched, as a new version would be against the old one: only sentences
the story did not have yet count as new, and a stance the story already gave is not observed again.  So
the same story from three outlets is one set of observations and one alert.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from monitor import stories
from monitor.domain import AnalysisResult, StoredDocument, Story, TextSource
from storage import stories as stored

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
    signature = stories.signature(document.text)
    existing = stored.story_of(session, document.id)
    story_id = existing or stored.story_of_previous_version(session, document.id)
    match = None if story_id else stories.best_match(
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
    return StoryContext(story_id, document, stories.unseen(result, seen), is_copy=match is not None)


# --- what `kommunvakt status` shows about the press -------------------------------------------------


@dataclass(frozen=True)
class PressStatus:
    stories: tuple[Story, ...]  # stories told by more than one copy
    from_summary: tuple[stored.ArticleRecord, ...]  # articles whose page could not be used


def press_status(session: Session, limit: int = 50) -> PressStatus:
    copied = stored.stories(session, min_copies=2)[-limit:]
    summaries = stored.articles(session, TextSource.FEED_SUMMARY, limit)
    return PressStatus(tuple(copied), tuple(summaries))


def press_status_json(status: PressStatus) -> dict:
    return {
        "press_stories": [{"id": s.id, "headline": s.headline, "copies": [asdict(c) for c in s.copies]}
                          for s in status.stories],
        "press_articles_from_feed_summary": [{"source": a.source_key, "url": a.url, "outlet": a.outlet,
                                              "reason": a.page_problem} for a in status.from_summary],
    }


def press_status_lines(status: PressStatus) -> list[str]:
    lines = []
    if status.stories:
        lines.append(f"\nPress stories told by several outlets ({len(status.stories)}):")
        for story in status.stories:
            outlets = ", ".join(c.outlet or "?" for c in story.copies)
            lines.append(f"  {story.headline[:80]} \u2014 {len(story.copies)} copies: {outlets}")
    if status.from_summary:
        lines.append(f"\nPress articles kept from the feed's summary ({len(status.from_summary)}):")
        lines += [f"  {a.source_key}: {a.url}: {a.page_problem}" for a in status.from_summary]
    return lines
