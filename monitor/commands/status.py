"""`kommunvakt status`: the stance table, sources that failed or missed something, documents that could not
be read, what waits for OCR, and press stories told by several outlets."""

from __future__ import annotations

import argparse
from dataclasses import asdict, dataclass

from sqlalchemy.orm import Session

from crawler.extraction.ocr import OcrSettings, ocr_unavailable
from monitor.app.service import open_service
from monitor.commands.output import say, say_json
from monitor.commands.worker import add_status_workers_flag, status_workers
from monitor.config import Config
from monitor.domain import Story, TextSource
from storage import press_articles as stored
from storage import repository as repo
from storage import status_views


def register(sub) -> None:
    p = sub.add_parser("status", help="the stance table and sources that cannot be read")
    p.add_argument("--json", action="store_true")
    p.add_argument("--sources", action="store_true", help="every source's health")
    add_status_workers_flag(p)
    p.set_defaults(handler=status)


def status(config: Config, args: argparse.Namespace) -> int:
    if args.workers:
        return status_workers(config, args)
    service = open_service(config)
    try:
        with service.database.transaction() as session:
            stances = status_views.stance_table(session, service.topic.name)
            sources = repo.source_states(session)
            problems = status_views.document_problems(session)
            reading = status_views.reading_summary(session)
            press = press_status(session)
    finally:
        service.close()
    failing = sources if args.sources else [s for s in sources
                                            if s.last_outcome not in (None, "ok") or s.last_warnings]
    if args.json:
        say_json({**_status_json(stances, failing, problems), **_reading_json(reading, config),
                  **press_status_json(press)})
    else:
        _print_status(stances, failing, problems, args.sources)
        _print_reading(reading, config)
        for line in press_status_lines(press):
            say(line)
    return 0


def _ocr_problem(config: Config) -> str | None:
    return ocr_unavailable(OcrSettings(config.crawl.ocr_command, config.crawl.ocr_languages))


def _reading_json(reading: status_views.ReadingSummary, config: Config) -> dict:
    return {"documents_waiting_for_ocr": reading.waiting_for_ocr, "documents_quarantined": reading.quarantined,
            "ocr_unavailable": _ocr_problem(config) if reading.waiting_for_ocr else None}


def _print_reading(reading: status_views.ReadingSummary, config: Config) -> None:
    if reading.waiting_for_ocr:
        why = _ocr_problem(config) or "OCR works now"
        say(f"\nDocuments waiting for OCR: {reading.waiting_for_ocr} ({why}; they are read at their "
            "source's next crawl, or now with `kommunvakt reread`)")
    if reading.quarantined:
        say(f"Documents quarantined (not read again until the extractor changes; `kommunvakt reread` "
            f"tries now): {reading.quarantined}")


def _status_json(stances, sources, problems) -> dict:
    return {
        "municipalities": [asdict(s) for s in stances],
        "sources": [{"source": s.key, "municipality_code": s.municipality_code, "kind": s.kind.value,
                     "last_outcome": s.last_outcome, "last_error": s.last_error, "health": s.health,
                     "last_attempt_at": s.last_attempt_at, "last_success_at": s.last_success_at,
                     "consecutive_failures": s.consecutive_failures,
                     "last_warnings": list(s.last_warnings)} for s in sources],
        "documents_with_errors": [asdict(p) for p in problems],
    }


def _print_status(stances, sources, problems, all_sources: bool) -> None:
    say(f"Stances ({len(stances)} municipalities known):")
    for s in stances:
        where = f"{s.outlet}, " if s.outlet else ""
        say(f"  {s.municipality_code} {s.municipality:<18} {s.stance:<9} since {s.since:%Y-%m-%d}  "
            f"({s.authority}, {where}{s.observed_on}) {s.document_url}")
        say(f"       \u00ab{s.evidence[:200]}\u00bb")
    say(f"\n{'Sources' if all_sources else 'Sources whose last crawl failed or missed something'} "
        f"({len(sources)}):")
    for s in sources:
        last = f"{s.last_attempt_at:%Y-%m-%d %H:%M}" if s.last_attempt_at else "never"
        say(f"  {s.key:<28} {s.last_outcome or 'never crawled':<10} {s.health:<8} last attempt {last}"
            + (f"  error: {s.last_error}" if s.last_error else ""))
        for warning in s.last_warnings[:10]:
            say(f"      warning: {warning}")
        if len(s.last_warnings) > 10:
            say(f"      ... and {len(s.last_warnings) - 10} more (`kommunvakt status --json`)")
    if problems:
        say(f"\nDocuments that could not be read ({len(problems)}):")
        for p in problems:
            say(f"  {p.source}: {p.url}: {p.error}")


# --- what `status` shows about the press ----------------------------------------------------------


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
