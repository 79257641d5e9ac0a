"""The small words messages are built from, per language (the sentences live in the templates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

from monitor.domain import Stance

DEFAULT_LANGUAGE = "sv"
DISPLAY_ZONE = ZoneInfo("Europe/Stockholm")


@dataclass(frozen=True)
class Labels:
    language: str
    stances: MappingProxyType[Stance, str]
    topics: MappingProxyType[str, str]
    page: str  # "{page}" is replaced
    according_to: str  # "{outlet}", "{date}"
    press_report: str  # "{date}"
    decision_in: str  # "{body}", "{date}"
    decision: str  # "{date}"
    statement_by: str  # "{body}", "{date}"
    statement: str  # "{date}"
    percent: str  # "{value}"
    no_date: str
    never: str
    untitled: str
    more: str  # "{count}"
    changes: str
    mentions: str
    failing_sources: str
    failures_in_a_row: str  # "{count}"
    unknown_error: str
    quoted: str  # "{text}"

    def stance(self, stance: Stance) -> str:
        return self.stances[stance]

    def topic(self, key: str) -> str:
        return self.topics.get(key, key)


_TOPICS_SV = {"atervandring": "återvandring", "återvandring": "återvandring"}
_TOPICS_EN = {"atervandring": "return migration", "återvandring": "return migration"}

SWEDISH = Labels(
    language="sv",
    stances=MappingProxyType({Stance.DECLINED: "avböjt", Stance.ACCEPTED: "accepterat",
                              Stance.NEUTRAL: "neutral", Stance.UNKNOWN: "okänd"}),
    topics=MappingProxyType(_TOPICS_SV),
    page=" (s. {page})",
    according_to="enligt {outlet}, {date}",
    press_report="enligt en pressuppgift, {date}",
    decision_in="beslut i {body}, {date}",
    decision="beslut, {date}",
    statement_by="uttalande från {body}, {date}",
    statement="uttalande från kommunen, {date}",
    percent="{value} %",
    no_date="okänt datum",
    never="aldrig",
    untitled="(utan titel)",
    more="… och {count} till",
    changes="Ändrade hållningar",
    mentions="Nya omnämnanden",
    failing_sources="Källor som inte kan läsas",
    failures_in_a_row="{count} misslyckade försök i rad",
    unknown_error="okänt fel",
    quoted="”{text}”",
)

ENGLISH = Labels(
    language="en",
    stances=MappingProxyType({Stance.DECLINED: "declined", Stance.ACCEPTED: "accepted",
                              Stance.NEUTRAL: "neutral", Stance.UNKNOWN: "unknown"}),
    topics=MappingProxyType(_TOPICS_EN),
    page=" (p. {page})",
    according_to="according to {outlet}, {date}",
    press_report="according to a press report, {date}",
    decision_in="decision of {body}, {date}",
    decision="decision, {date}",
    statement_by="statement by {body}, {date}",
    statement="statement by the municipality, {date}",
    percent="{value}%",
    no_date="date unknown",
    never="never",
    untitled="(untitled)",
    more="… and {count} more",
    changes="Changed stances",
    mentions="New mentions",
    failing_sources="Sources that cannot be read",
    failures_in_a_row="{count} failed attempts in a row",
    unknown_error="unknown error",
    quoted="“{text}”",
)

LANGUAGES: dict[str, Labels] = {"sv": SWEDISH, "en": ENGLISH}


def labels_for(language: str) -> Labels:
    """The labels of a language; an unknown language falls back to Swedish rather than losing the alert."""
    return LANGUAGES.get(language.lower(), LANGUAGES[DEFAULT_LANGUAGE])


def format_date(value: date | datetime | None, labels: Labels) -> str:
    if value is None:
        return labels.no_date
    if isinstance(value, datetime):
        return value.astimezone(DISPLAY_ZONE).date().isoformat()
    return value.isoformat()


def format_time(value: datetime | None, labels: Labels) -> str:
    """A moment as people in Sweden read it: local time, minutes."""
    if value is None:
        return labels.never
    return value.astimezone(DISPLAY_ZONE).strftime("%Y-%m-%d %H:%M")


def format_confidence(confidence: float, labels: Labels) -> str:
    return labels.percent.format(value=round(confidence * 100))


def format_page(page: int | None, labels: Labels) -> str:
    return labels.page.format(page=page) if page else ""
