"""Domain values and stored rows for the alerts tests, in one line each."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from monitor.config import AlertTarget
from monitor.domain import (
    Authority,
    EventType,
    MentionNotice,
    MentionSnippet,
    Municipality,
    Observation,
    SourceHealthNotice,
    SourceHealthStatus,
    Stance,
    StanceChange,
)
from storage import outbox
from storage import repository as repo
from storage.db import Database
from storage.models import DocumentRow, SourceRow

NOW = datetime(2025, 10, 28, 9, 0, tzinfo=UTC)
KIRUNA = Municipality(code="2584", name="Kiruna", county="Norrbottens län")
VAGGERYD = Municipality(code="0665", name="Vaggeryd", county="Jönköpings län")
STOCKHOLM = Municipality(code="0180", name="Stockholm", county="Stockholms län")
PLACES = {m.code: m for m in (KIRUNA, VAGGERYD, STOCKHOLM)}

DECLINE_QUOTE = ("Kommunstyrelsen beslutar att tacka nej till inbjudan från den nationella samordnaren "
                 "för återvandring.")
PROTOCOL_TITLE = "Protokoll kommunstyrelsen 2025-10-20"
PROTOCOL_URL = "https://www.vaggeryd.se/download/protokoll-ks-2025-10-20.pdf"


def observation(code: str = "0665", stance: Stance = Stance.DECLINED, *, evidence: str = DECLINE_QUOTE,
                authority: Authority = Authority.DECISION, outlet: str | None = None, page: int | None = 4,
                title: str = PROTOCOL_TITLE, url: str = PROTOCOL_URL, observed_on: date = date(2025, 10, 20),
                confidence: float = 0.87) -> Observation:
    return Observation(id=11, municipality_code=code, stance=stance, confidence=confidence, evidence=evidence,
                       authority=authority, observed_on=observed_on, document_id=5, document_url=url,
                       document_title=title, page=page, outlet=outlet)


def change(code: str = "0665", new: Stance = Stance.DECLINED, old: Stance = Stance.UNKNOWN, change_id: int = 7,
           **observed) -> StanceChange:
    place = PLACES[code]
    return StanceChange(id=change_id, municipality_code=code, municipality=place.name, county=place.county,
                        topic="atervandring", old_stance=old, new_stance=new,
                        observation=observation(code, new, **observed), created_at=NOW)


def press_change(code: str = "2584", new: Stance = Stance.DECLINED) -> StanceChange:
    return change(code, new, authority=Authority.PRESS, outlet="SVT Nyheter", page=None,
                  observed_on=date(2025, 10, 28), title="Flera kommuner säger nej till samordnaren",
                  url="https://www.svt.se/nyheter/inrikes/kommuner-nej-samordnare",
                  evidence="Kiruna kommun har tackat nej till samordnarens inbjudan, uppger kommunen för SVT.")


def target(name: str = "news", url: str = "mailto://127.0.0.1:2525?from=kv@example.org&to=news@example.org",
           events: set[EventType] | None = None, municipalities: set[str] | None = None,
           counties: set[str] | None = None, to_stances: set[Stance] | None = None,
           language: str = "sv") -> AlertTarget:
    return AlertTarget(name=name, url=url, events=frozenset(events or {EventType.STANCE_CHANGE}),
                       municipalities=frozenset(municipalities or ()), counties=frozenset(counties or ()),
                       to_stances=frozenset(to_stances or ()), language=language)


# --- stored rows ----------------------------------------------------------------------------


def seed(database: Database) -> None:
    with database.transaction() as session:
        repo.sync_municipalities(session, PLACES.values())


def stored_change(database: Database, code: str = "0665", new: Stance = Stance.DECLINED,
                  old: Stance = Stance.UNKNOWN, *, now: datetime = NOW, evidence: str = DECLINE_QUOTE,
                  status: str = "announced", topic: str = "atervandring") -> StanceChange:
    """A document, an observation and a change, stored as the pipeline stores them."""
    with database.transaction() as session:
        document_id = stored_document(session, code, evidence, now)
        observation_id = repo.add_observation(session, document_id, topic, code, new, 0.87, evidence, 0, 4,
                                              Authority.DECISION, now.date(), now)
        change_id = outbox.record_change(session, code, topic, old, new, observation_id, status, now)
        return outbox.stance_change(session, change_id)


def stored_document(session: Session, code: str, text: str, now: datetime) -> int:
    """A source (created when missing) and one analysed document of it."""
    key = f"{code}-protocols"
    source = session.query(SourceRow).filter_by(key=key).one_or_none()
    if source is None:
        source = SourceRow(key=key, kind="protocols", municipality_code=code, created_at=now)
        session.add(source)
        session.flush()
    digest = hashlib.sha256(f"{code}{text}{now}".encode()).hexdigest()
    row = DocumentRow(source_id=source.id, url=f"https://example.org/{code}/{digest[:12]}.pdf", fetched_at=now,
                      published_on=now.date(), content_hash=digest, text_hash=digest, title=PROTOCOL_TITLE,
                      text=text, analysis_state="done", analysed_at=now)
    session.add(row)
    session.flush()
    return row.id


def mention_notice(snippet: str = "Kommunen deltar i arbetet med frivillig återvandring enligt regeringens uppdrag.",
                   matched: str = "återvandring", count: int = 1) -> MentionNotice:
    snippets = tuple(MentionSnippet("återvandring", matched, snippet, page=2) for _ in range(count))
    return MentionNotice(document_id=9, topic="atervandring", document_title="Protokoll KF 2025-10-27",
                         document_url="https://www.kiruna.se/kf.pdf", published_on=date(2025, 10, 27), outlet=None,
                         municipalities=(KIRUNA,), snippets=snippets)


def health_notice(status: SourceHealthStatus = SourceHealthStatus.FAILING) -> SourceHealthNotice:
    return SourceHealthNotice(source_key="0665-protocols", status=status, municipality=VAGGERYD,
                              error="HTTP 404 for https://www.vaggeryd.se/kommun-och-politik/", consecutive_failures=3,
                              last_success_at=datetime(2025, 10, 20, 4, 0, tzinfo=UTC), run_id=42)
