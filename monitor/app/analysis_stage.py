"""The analysis stage: new or changed documents -> mentions, observations, changes, outbox.

Each document is analysed and its consequences stored in one transaction, so a
crash leaves it either fully analysed or still pending; re-running is safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from alerts.routing import alerts_for_change, alerts_for_mentions
from monitor.analysis import analyze
from monitor.analysis.change import ChangeDecision, ChangeKind, decide_change, is_alertable, winning_observation
from monitor.analysis.diff import added_spans, within
from monitor.analysis.topic import Topic
from monitor.app.press_stories import in_story
from monitor.config import Config
from monitor.domain import (
    AnalysisResult,
    Authority,
    MentionNotice,
    MentionSnippet,
    SourceKind,
    StanceChange,
    StoredDocument,
    page_of,
)
from monitor.municipalities import Registry
from storage import candidates as review_candidates
from storage import outbox
from storage import repository as repo
from storage.db import Database


@dataclass
class AnalysisReport:
    documents: int = 0
    mentions: int = 0
    observations: int = 0
    candidates: int = 0  # sentences stored for a person's review (kommunvakt review)
    changes: list[ChangeDecision] = field(default_factory=list)
    alerts: int = 0


@dataclass(frozen=True)
class Context:
    config: Config
    registry: Registry
    topic: Topic
    now: datetime
    alerts_enabled: bool = True


def analyse_pending(database: Database, context: Context, batch: int = 50) -> AnalysisReport:
    report = AnalysisReport()
    while True:
        with database.transaction() as session:
            documents = repo.pending_documents(session, limit=batch)
        if not documents:
            return report
        for document in documents:
            with database.transaction() as session:
                analyse_document(session, context, document, report)


def analyse_text(document: StoredDocument, context: Context) -> AnalysisResult:
    owner = document.municipality_code if document.source_kind is SourceKind.PROTOCOLS else None
    authority = None if owner else Authority.PRESS
    return analyze(document.text, context.topic, context.registry, owner_code=owner, authority=authority)


def analyse_document(session: Session, context: Context, document: StoredDocument, report: AnalysisReport) -> None:
    report.documents += 1
    if document.error or not document.text:
        repo.mark_analysed(session, document.id, context.now)
        return
    result = analyse_text(document, context)
    copy = False  # another outlet's copy of a story already told: nothing to announce as a new mention
    if document.source_kind is SourceKind.PRESS and result.mentions:
        document, result, copy = _as_story_copy(session, context, document, result)
    spans = added_spans(document.previous_text, document.text)
    _store_mentions(session, context, document, result, spans, report)
    codes = _store_observations(session, context, document, result, spans, report)
    _store_candidates(session, context, document, result, spans, report)
    alertable = context.alerts_enabled and _alertable(document, context)
    for code in codes:
        decide(session, context, code, alertable, report)
    if alertable and not copy:
        report.alerts += _announce_mentions(session, context, document, result, spans)
    repo.mark_analysed(session, document.id, context.now)


def _as_story_copy(session, context, document, result) -> tuple[StoredDocument, AnalysisResult, bool]:
    """A press text is one copy of a story: only what the story did not say yet is new (monitor.app.press_stories)."""
    story = in_story(session, document, result, context.topic.name, context.now)
    return story.document, story.result, story.is_copy


def _announce_mentions(session, context, document, result, spans) -> int:
    snippets = tuple(MentionSnippet(m.term, m.matched or document.text[m.start:m.end], m.snippet,
                                           page_of(document.pages, m.start))
                     for m in result.mentions if within(spans, m.start, m.end))
    if not snippets:
        return 0
    places = tuple(context.registry.get(code) for code in result.municipalities)
    if document.municipality_code and document.municipality_code not in result.municipalities:
        places = (context.registry.get(document.municipality_code), *places)
    notice = MentionNotice(document.id, context.topic.name, document.title, document.url,
                                  document.published_on, document.outlet, places, snippets)
    alerts = alerts_for_mentions(notice, context.config.alerts.targets, context.config.alerts.templates_dir)
    return sum(int(outbox.insert_alert(session, alert, context.now)) for alert in alerts)


def _alertable(document: StoredDocument, context: Context) -> bool:
    during_baseline = document.baseline_at is None or document.fetched_at <= document.baseline_at
    return is_alertable(document.published_on, during_baseline, context.now.date(),
                        context.config.alerts.backfill_days)


def _store_mentions(session, context, document, result, spans, report) -> None:
    for mention in result.mentions:
        is_new = within(spans, mention.start, mention.end)
        repo.add_mention(session, document.id, context.topic.name, mention.term, mention.start, mention.end,
                         mention.snippet, page_of(document.pages, mention.start), is_new)
        report.mentions += int(is_new)


def _store_observations(session, context, document, result, spans, report) -> list[str]:
    codes: list[str] = []
    observed_on = document.published_on or document.fetched_at.date()
    for finding in result.stances:
        if not within(spans, finding.evidence_start, finding.evidence_start + len(finding.evidence)):
            continue
        repo.add_observation(session, document.id, context.topic.name, finding.municipality_code, finding.stance,
                             finding.confidence, finding.evidence, finding.evidence_start,
                             page_of(document.pages, finding.evidence_start), finding.authority, observed_on,
                             context.now)
        report.observations += 1
        codes.append(finding.municipality_code)
    return list(dict.fromkeys(codes))


def _store_candidates(session, context, document, result, spans, report) -> None:
    """Sentences the rules could not attribute with confidence wait in `kommunvakt review` (new text only)."""
    for candidate in result.candidates:
        if not within(spans, candidate.evidence_start, candidate.evidence_start + len(candidate.evidence)):
            continue
        page = page_of(document.pages, candidate.evidence_start)
        report.candidates += int(review_candidates.add_candidate(session, document.id, context.topic.name, candidate,
                                                                 page, context.now))


def decide(session: Session, context: Context, code: str, alertable: bool,
           report: AnalysisReport) -> ChangeDecision | None:
    """Decide whether `code`'s stance changed; record the change, and announce it when it is news."""
    topic = context.topic.name
    announced, _ = repo.current_stance(session, code, topic)
    winner = winning_observation(repo.observations(session, code, topic))
    decision = decide_change(announced, winner, alertable, context.config.alerts.review_thresholds)
    if decision is None:
        return None
    if decision.kind is ChangeKind.HOLD and outbox.change_exists_for(session, decision.observation.id):
        return None
    change_id = outbox.record_change(session, code, topic, decision.old, decision.new, decision.observation.id,
                                     decision.kind.value, context.now)
    report.changes.append(decision)
    if decision.kind is not ChangeKind.HOLD:
        repo.set_current_stance(session, code, topic, decision.new, decision.observation.id, context.now)
    if decision.kind is ChangeKind.ANNOUNCE:
        report.alerts += announce(session, context, change_id, decision)
    return decision


def announce(session: Session, context: Context, change_id: int, decision: ChangeDecision) -> int:
    """Write one outbox row per target that wants this change (same transaction as the change)."""
    change = to_stance_change(context, change_id, decision)
    added = 0
    for alert in alerts_for_change(change, context.config.alerts.targets, context.config.alerts.templates_dir):
        added += int(outbox.insert_alert(session, alert, context.now, stance_change_id=change_id))
    return added


def to_stance_change(context: Context, change_id: int, decision: ChangeDecision) -> StanceChange:
    municipality = context.registry.get(decision.observation.municipality_code)
    return StanceChange(
        id=change_id, municipality_code=municipality.code, municipality=municipality.name,
        county=municipality.county, topic=context.topic.name, old_stance=decision.old, new_stance=decision.new,
        observation=decision.observation, created_at=context.now,
        held_for_review=decision.kind is ChangeKind.HOLD,
    )
