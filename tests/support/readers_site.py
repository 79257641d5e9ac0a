"""A kommunvakt installation with a handful of recorded changes, stored as the pipeline stores them.

Vaggeryd declined (a council decision), Kiruna neutral at the first reading then accepted (a statement) and
reported by the press, Malmö declined with a hostile quote and title, Gotland's source fails, Stockholm has a
change held for review (not public).  The other 285 municipalities are watched but not read yet.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.app.service import Service, open_service
from monitor.config import Config, load_config
from monitor.domain import Authority, Stance
from storage import outbox
from storage import repository as repo
from storage.models import DocumentRow, SourceRow
from tests.support import config as shared_config

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
TOPIC = "atervandring"
HOSTILE = '<script>alert("kv")</script> Kommunfullmäktige säger nej till samordnaren & hans <b>inbjudan</b>.'
HOSTILE_TITLE = 'Protokoll <img src=x onerror=alert(1)> KF'
VAGGERYD_QUOTE = "Kommunstyrelsen beslutar att avböja den nationella samordnarens erbjudande om ett möte."
KIRUNA_ACCEPT = "Kommunen tar gärna emot samordnaren och ser fram emot samtalet om frivillig återvandring."
KIRUNA_PRESS = "Kiruna säger ja till att träffa återvandringssamordnaren, berättar kommunalrådet för tidningen."
GOTLAND_ERROR = "https://www.gotland.se/: URL returned HTTP 500"


@dataclass(frozen=True)
class World:
    config_path: Path
    config: Config

    @property
    def site_dir(self) -> Path:
        return self.config.site_dir


def write_config(folder: Path, language: str = "sv", extra: str = "") -> Path:
    """Default sources for all 290 municipalities and the press feeds, SQLite in ./data."""
    return shared_config.write_config(folder, data_dir=Path("data"), alerts={"language": language}, extra=extra,
                                      crawl={"default_sources": True, "default_press_feeds": True})


def build_world(folder: Path, language: str = "sv") -> World:
    config_path = write_config(folder, language)
    config = load_config(config_path)
    service = open_service(config)
    try:
        record_handful(service)
    finally:
        service.close()
    return World(config_path, config)


def record_handful(service: Service) -> None:
    read_ok(service, "0665-protocols", NOW - timedelta(days=3))
    record(service, "0665", Stance.UNKNOWN, Stance.DECLINED, VAGGERYD_QUOTE, NOW - timedelta(days=3),
           title="Protokoll kommunstyrelsen 2026-02-24", status="announced")
    read_ok(service, "2584-protocols", NOW - timedelta(days=20))
    record(service, "2584", Stance.UNKNOWN, Stance.NEUTRAL, "Informationen om samordnaren läggs till handlingarna.",
           NOW - timedelta(days=20), title="Protokoll kommunstyrelsen 2026-02-10", status="baseline")
    record(service, "2584", Stance.NEUTRAL, Stance.ACCEPTED, KIRUNA_ACCEPT, NOW - timedelta(days=1),
           title="Kirunas svar till samordnaren", status="announced", authority=Authority.STATEMENT)
    record(service, "2584", Stance.ACCEPTED, Stance.ACCEPTED, KIRUNA_PRESS, NOW - timedelta(hours=5),
           title="Kiruna vill träffa samordnaren", status=None, authority=Authority.PRESS,
           source_key="press-svt-nyheter", outlet="SVT Nyheter")
    read_ok(service, "1280-protocols", NOW - timedelta(hours=2))
    record(service, "1280", Stance.UNKNOWN, Stance.DECLINED, HOSTILE, NOW - timedelta(hours=2), title=HOSTILE_TITLE,
           status="announced")
    read_failed(service, "0980-protocols", NOW - timedelta(hours=1), GOTLAND_ERROR)
    record(service, "0180", Stance.UNKNOWN, Stance.ACCEPTED, "Kanske tar vi emot samordnaren, kanske inte.",
           NOW - timedelta(minutes=30), title="Protokoll 2026-03-01", status="held")


def read_ok(service: Service, source_key: str, when: datetime) -> None:
    with service.database.transaction() as session:
        run = repo.start_run(session, source_key, "test", when, stale_after_s=60)
        repo.finish_run(session, run, ok=True, error=None, now=when)


def read_failed(service: Service, source_key: str, when: datetime, error: str) -> None:
    with service.database.transaction() as session:
        run = repo.start_run(session, source_key, "test", when, stale_after_s=60)
        repo.finish_run(session, run, ok=False, error=error, now=when)


def record(service: Service, code: str, old: Stance, new: Stance, evidence: str, when: datetime, *, title: str,
           status: str | None, authority: Authority = Authority.DECISION, source_key: str | None = None,
           outlet: str | None = None) -> None:
    """A document, its observation, and (with a status) the change and the current stance it sets."""
    with service.database.transaction() as session:
        document_id = _document(session, source_key or f"{code}-protocols", title, evidence, when, outlet)
        observation_id = repo.add_observation(session, document_id, TOPIC, code, new, 0.9, evidence, 0, 2,
                                              authority, when.date(), when)
        if status is None:
            return
        outbox.record_change(session, code, TOPIC, old, new, observation_id, status, when)
        if status != "held":
            repo.set_current_stance(session, code, TOPIC, new, observation_id, when)


def _document(session, source_key: str, title: str, text: str, when: datetime, outlet: str | None) -> int:
    source = session.query(SourceRow).filter_by(key=source_key).one()
    digest = hashlib.sha256(f"{source_key}{text}{when}".encode()).hexdigest()
    row = DocumentRow(source_id=source.id, url=f"https://example.org/{source_key}/{digest[:10]}.pdf",
                      fetched_at=when, published_on=when.date(), content_hash=digest, text_hash=digest, title=title,
                      text=f"Inledning. {text} Avslutning.", outlet=outlet, analysis_state="done", analysed_at=when)
    session.add(row)
    session.flush()
    return row.id

