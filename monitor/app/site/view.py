"""What the site shows, as typed values: the 290 municipalities with their stance, reading and history.

Pure: rows from storage (storage.site_rows), the registry and the watched sources in; frozen dataclasses out.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from monitor.domain import Municipality, SourceConfig, SourceKind, SourceState, Stance
from storage.site_rows import ChangeRecord, PressReport, SiteRows
from storage.status_views import StanceRow

STANCE_ORDER = (Stance.DECLINED, Stance.ACCEPTED, Stance.NEUTRAL, Stance.UNKNOWN)
_FAILED_OUTCOMES = {"failed", "crashed", "killed"}


class Reading(enum.StrEnum):
    """Whether kommunvakt can read a municipality's own sources."""

    OK = "ok"
    NOT_YET_READ = "not_yet_read"  # watched, never crawled yet
    FAILING = "failing"  # the last crawl of one of its sources failed, or it failed again and again
    STALE = "stale"  # crawls work but nothing new for far longer than the schedule
    NOT_WATCHED = "not_watched"  # no enabled source of its own


@dataclass(frozen=True)
class Evidence:
    quote: str
    authority: str
    observed_on: date
    document_url: str
    document_title: str
    page: int | None
    outlet: str | None
    confidence: float


@dataclass(frozen=True)
class MunicipalityView:
    code: str
    name: str
    county: str
    stance: Stance
    since: datetime | None
    evidence: Evidence | None
    reading: Reading
    sources: tuple[SourceState, ...]
    changes: tuple[ChangeRecord, ...]  # newest first
    press: tuple[PressReport, ...]

    @property
    def county_code(self) -> str:
        return self.code[:2]

    @property
    def last_read_at(self) -> datetime | None:
        return max((s.last_success_at for s in self.sources if s.last_success_at), default=None)

    @property
    def problem(self) -> str | None:
        return next((s.last_error for s in self.sources if s.last_error), None)


@dataclass(frozen=True)
class ChangeView:
    change: ChangeRecord
    municipality: str
    county: str


@dataclass(frozen=True)
class Watched:
    municipalities: int  # with at least one enabled source of their own
    municipality_sources: int
    press_feeds: int


@dataclass(frozen=True)
class SiteView:
    topic: str  # the topic's key, e.g. "atervandring"
    language: str
    built_at: datetime
    base_url: str  # "" or the public address ending in "/"
    municipalities: tuple[MunicipalityView, ...]  # all 290, by code
    changes: tuple[ChangeView, ...]  # newest first
    watched: Watched

    def counts(self) -> dict[Stance, int]:
        counted = Counter(m.stance for m in self.municipalities)
        return {stance: counted.get(stance, 0) for stance in STANCE_ORDER}

    def counties(self) -> list[tuple[str, str]]:
        """(county code, county name), by code."""
        return sorted({(m.county_code, m.county) for m in self.municipalities})


def site_view(rows: SiteRows, municipalities: tuple[Municipality, ...], sources: tuple[SourceConfig, ...],
              topic: str, language: str, base_url: str, now: datetime) -> SiteView:
    watched_keys = {s.key for s in sources if s.enabled}
    stances = {row.municipality_code: row for row in rows.stances}
    own_sources = _by_code([s for s in rows.sources if s.key in watched_keys and s.municipality_code])
    changes = _by_code(list(reversed(rows.changes)))
    press = _by_code(list(rows.press))
    views = tuple(_municipality_view(m, stances.get(m.code), tuple(own_sources.get(m.code, ())),
                                     tuple(changes.get(m.code, ())), tuple(press.get(m.code, ())))
                  for m in sorted(municipalities, key=lambda m: m.code))
    names = {m.code: m for m in municipalities}
    change_views = tuple(ChangeView(c, names[c.municipality_code].name, names[c.municipality_code].county)
                         for c in reversed(rows.changes) if c.municipality_code in names)
    return SiteView(topic, language, now, _base(base_url), views, change_views, _watched(sources))


def _by_code(items: list) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for item in items:
        grouped.setdefault(item.municipality_code, []).append(item)
    return grouped


def _municipality_view(m: Municipality, row: StanceRow | None, sources: tuple[SourceState, ...],
                       changes: tuple[ChangeRecord, ...], press: tuple[PressReport, ...]) -> MunicipalityView:
    return MunicipalityView(
        code=m.code, name=m.name, county=m.county, stance=Stance(row.stance) if row else Stance.UNKNOWN,
        since=row.since if row else None, evidence=_evidence(row) if row else None, reading=reading_of(sources),
        sources=sources, changes=changes, press=press)


def _evidence(row: StanceRow) -> Evidence:
    return Evidence(row.evidence, row.authority, row.observed_on, row.document_url, row.document_title, row.page,
                    row.outlet, row.confidence)


def reading_of(sources: tuple[SourceState, ...]) -> Reading:
    if not sources:
        return Reading.NOT_WATCHED
    if any(s.health == "failing" or s.last_outcome in _FAILED_OUTCOMES for s in sources):
        return Reading.FAILING
    if all(s.last_attempt_at is None for s in sources):
        return Reading.NOT_YET_READ
    if any(s.health == "stale" for s in sources):
        return Reading.STALE
    return Reading.OK


def _watched(sources: tuple[SourceConfig, ...]) -> Watched:
    enabled = [s for s in sources if s.enabled]
    own = [s for s in enabled if s.kind is SourceKind.PROTOCOLS]
    press_feeds = sum(max(1, len(s.feed_urls)) for s in enabled if s.kind is SourceKind.PRESS)
    return Watched(len({s.municipality_code for s in own}), len(own), press_feeds)


def _base(url: str) -> str:
    return url if not url or url.endswith("/") else url + "/"


def web_link(url: str | None) -> str:
    """A crawled document's address as a link target: http(s) only, never javascript: or data:."""
    return url if url and url.lower().startswith(("https://", "http://")) else "#"
