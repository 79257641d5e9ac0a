"""Handlers of the `kommunvakt` subcommands.  Each returns an exit code."""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import sys
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path

from monitor.config import Config
from monitor.crawling import CrawlOutcome, crawl_source, crawl_sources
from monitor.domain import SourceConfig, SourceKind
from monitor.files import FileReadError, page_of, read_document
from monitor.health import check_health
from monitor.municipalities import Registry
from monitor.pipeline import AnalysisReport, analyse_pending
from monitor.press import press_status, press_status_json, press_status_lines
from monitor.service import Service, holder_name, open_service, utcnow
from storage import repository as repo
from storage import status as status_queries
from storage.repository import SourceLocked

log = logging.getLogger("kommunvakt")


class UsageError(ValueError):
    """A command was given something it cannot use (exit code 2)."""


def _print(text: str = "") -> None:
    print(text, flush=True)


# --- crawl ----------------------------------------------------------------------------------


def crawl(config: Config, args: argparse.Namespace) -> int:
    since = _backfill_day(args)
    sources = _selected_sources(config, Registry.load(), args)  # a bad request writes nothing
    service = open_service(config)
    try:
        outcomes = _crawl_many(service, sources, args.wait, since)
        report = analyse_pending(service.database, service.context(alerts_enabled=not args.no_alerts))
        _print_analysis(report)
        check_health(service, utcnow())
        _dispatch(service)
    finally:
        service.close()
    return 0 if all(o.ok for o in outcomes) else 1


def _backfill_day(args: argparse.Namespace) -> date | None:
    if not args.since:
        return None
    if not args.no_alerts:
        raise UsageError("--since fills history and needs --no-alerts")
    try:
        return date.fromisoformat(args.since)
    except ValueError:
        raise UsageError(f"--since: not a date (YYYY-MM-DD): {args.since!r}") from None


def _selected_sources(config: Config, registry: Registry, args: argparse.Namespace) -> list[SourceConfig]:
    if args.municipality:
        municipality = registry.resolve(args.municipality)
        sources = config.sources_for(municipality.code)
        what = f"{municipality.name} ({municipality.code})"
    elif args.press:
        sources, what = [s for s in config.sources if s.kind is SourceKind.PRESS and s.enabled], "press"
    elif args.source:
        sources, what = [s for s in config.sources if s.key == args.source], f"source {args.source!r}"
    else:
        sources, what = [s for s in config.sources if s.enabled], "any municipality"
    if not sources:
        raise UsageError(f"no enabled source is configured for {what}")
    return sources


def _crawl_many(service: Service, sources: list[SourceConfig], wait: bool, since: date | None) -> list[CrawlOutcome]:
    """Protocol sources in batches, in parallel children (monitor.crawling.crawl_sources); a locked one waits.
    Press feeds one at a time in config order: the first copy of a story stored decides which outlet it
    is attributed to, so that must not depend on which child was faster."""
    protocols = [s for s in sources if s.kind is not SourceKind.PRESS]
    press = [s for s in sources if s.kind is SourceKind.PRESS]
    outcomes = _crawl_batches(service, protocols, wait, since) if len(protocols) > 1 else \
        [_crawl_one(service, source, wait, since) for source in protocols]
    return outcomes + [_crawl_one(service, source, wait, since) for source in press]


def _crawl_batches(service: Service, sources: list[SourceConfig], wait: bool,
                   since: date | None) -> list[CrawlOutcome]:
    workers = service.config.daemon.max_concurrent_crawls
    _print(f"crawling {len(sources)} sources, {workers} at a time")
    outcomes = crawl_sources(service.database, service.config, sources, holder_name("crawl"), workers,
                             _show_progress, since=since)
    by_key = {source.key: source for source in sources}
    finished = []
    for outcome in outcomes:
        if outcome.outcome == "locked" and wait:
            outcome = _crawl_one(service, by_key[outcome.source_key], wait, since)
        else:
            _print_outcome(outcome)
        finished.append(outcome)
    return finished


def _crawl_one(service: Service, source: SourceConfig, wait: bool, since: date | None = None) -> CrawlOutcome:
    _print(f"crawling {source.key} ({', '.join(source.start_urls or source.feed_urls)})")
    deadline = time.monotonic() + (service.config.crawl.timeout_seconds if wait else 0)
    while True:
        try:
            outcome = crawl_source(service.database, service.config, source, holder_name("crawl"), _show_progress,
                                   since=since)
            break
        except SourceLocked as exc:
            if time.monotonic() >= deadline:
                outcome = CrawlOutcome(source.key, False, "locked", errors=(f"not crawled: {exc}",))
                break
            time.sleep(2)
    _print_outcome(outcome)
    return outcome


def _print_outcome(outcome: CrawlOutcome) -> None:
    verdict = "ok" if outcome.ok else f"FAILED ({outcome.outcome})"
    _print(f"  {outcome.source_key} {verdict}: {outcome.documents_seen} documents seen, {outcome.documents_new} new")
    for error in outcome.errors:
        _print(f"  error: {error}")


def _show_progress(event: dict) -> None:
    if event.get("event") == "progress":
        _print(f"  {event.get('outcome', '?'):>9}  {event.get('source', '')}  {event.get('url', '')}")


def _print_analysis(report: AnalysisReport) -> None:
    _print(f"analysed {report.documents} documents: {report.mentions} new mentions, "
           f"{report.observations} stance observations, {len(report.changes)} changes, {report.alerts} alerts")
    for change in report.changes:
        obs = change.observation
        _print(f"  {obs.municipality_code}: {change.old.value} -> {change.new.value} ({change.kind.value}) "
               f"\u00ab{obs.evidence[:160]}\u00bb")


def _dispatch(service: Service) -> None:
    from alerts.dispatch import dispatch_due

    report = dispatch_due(service.database, service.config.alerts.targets, utcnow(), holder_name("dispatch"),
                          service.config.alerts.max_attempts)
    if report.attempted:
        _print(f"alerts: {report.sent} sent, {report.failed} failed of {report.attempted}")


# --- reread ---------------------------------------------------------------------------------


def reread(config: Config, args: argparse.Namespace) -> int:
    """Read waiting (OCR) and quarantined documents again from their stored bytes, then analyse as crawl does."""
    from crawler.quarantine import describe, reread_everything

    keys = _reread_sources(config, args)  # a bad request writes nothing
    service = open_service(config)
    try:
        outcomes = reread_everything(service.database, config, keys, lambda o: _print(f"  {describe(o)}"))
        readable = sum(1 for o in outcomes if o.error is None)
        _print(f"read again: {len(outcomes)} documents, {readable} readable now")
        _print_analysis(analyse_pending(service.database, service.context()))
        _dispatch(service)
    finally:
        service.close()
    return 0


def _reread_sources(config: Config, args: argparse.Namespace) -> list[str] | None:
    if args.municipality:
        return [s.key for s in config.sources_for(Registry.load().resolve(args.municipality).code)]
    if args.source:
        if args.source not in {s.key for s in config.sources}:
            raise UsageError(f"no source {args.source!r} in the configuration")
        return [args.source]
    return None


# --- analyze --------------------------------------------------------------------------------


def analyze(config: Config, args: argparse.Namespace) -> int:
    from monitor.analysis import analyze as run_analysis
    from monitor.analysis.topic import load_topic

    registry = Registry.load()
    topic = load_topic(config.topic)
    owner = registry.resolve(args.municipality).code if args.municipality else None
    failed = False
    for path in args.paths:
        try:
            document = read_document(Path(path), config.crawl)
        except FileReadError as exc:
            failed = True
            _emit_analysis(args.json, {"path": path, "error": str(exc)})
            continue
        result = run_analysis(document.text, topic, registry, owner_code=owner)
        _emit_analysis(args.json, _analysis_json(path, result, registry, document.pages))
    return 1 if failed else 0


def _analysis_json(path: str, result, registry: Registry, pages: tuple[int, ...] = ()) -> dict:
    """`page` (1-based) where the file is a PDF, else null."""
    return {
        "path": path,
        "mentions": [{"term": m.term, "start": m.start, "end": m.end, "snippet": m.snippet,
                      "page": m.page if m.page is not None else page_of(pages, m.start)}
                     for m in result.mentions],
        "municipalities": list(result.municipalities),
        "stances": [{"municipality_code": s.municipality_code, "municipality": s.municipality,
                     "stance": s.stance.value, "confidence": round(s.confidence, 3), "evidence": s.evidence,
                     "evidence_start": s.evidence_start, "page": page_of(pages, s.evidence_start),
                     "authority": s.authority.value}
                    for s in result.stances],
        "candidates": [{"municipality_code": c.municipality_code, "municipality": c.municipality,
                        "stance": c.stance.value if c.stance else None, "confidence": round(c.confidence, 3),
                        "evidence": c.evidence, "evidence_start": c.evidence_start,
                        "page": page_of(pages, c.evidence_start), "authority": c.authority.value, "reason": c.reason}
                       for c in result.candidates],
    }


def _emit_analysis(as_json: bool, entry: dict) -> None:
    if as_json:
        _print(json.dumps(entry, ensure_ascii=False))
        return
    _print(entry["path"])
    if "error" in entry:
        _print(f"  error: {entry['error']}")
        return
    _print(f"  {len(entry['mentions'])} mentions; municipalities: {', '.join(entry['municipalities']) or '-'}")
    for stance in entry["stances"]:
        _print(f"  {stance['municipality']} ({stance['municipality_code']}): {stance['stance']} "
               f"[{stance['confidence']:.2f}, {stance['authority']}] \u00ab{stance['evidence']}\u00bb")
    for candidate in entry.get("candidates", ()):
        _print(f"  candidate for review: {candidate['municipality']} ({candidate['municipality_code']}): "
               f"{candidate['stance'] or '-'} [{candidate['confidence']:.2f}] {candidate['reason']} "
               f"\u00ab{candidate['evidence']}\u00bb")


# --- status, history, export ----------------------------------------------------------------


def status(config: Config, args: argparse.Namespace) -> int:
    service = open_service(config)
    try:
        with service.database.transaction() as session:
            stances = status_queries.stance_table(session, service.topic.name)
            sources = repo.source_states(session)
            problems = status_queries.document_problems(session)
            reading = status_queries.reading_summary(session)
            press = press_status(session)
    finally:
        service.close()
    failing = sources if args.sources else [s for s in sources
                                            if s.last_outcome not in (None, "ok") or s.last_warnings]
    if args.json:
        _print(json.dumps({**_status_json(stances, failing, problems), **_reading_json(reading, config), **press_status_json(press)},
                          ensure_ascii=False, default=str))
    else:
        _print_status(stances, failing, problems, args.sources)
        _print_reading(reading, config)
        for line in press_status_lines(press):
            _print(line)
    return 0


def _ocr_problem(config: Config) -> str | None:
    from crawler.ocr import OcrSettings, ocr_unavailable

    return ocr_unavailable(OcrSettings(config.crawl.ocr_command, config.crawl.ocr_languages))


def _reading_json(reading: status_queries.ReadingSummary, config: Config) -> dict:
    return {"documents_waiting_for_ocr": reading.waiting_for_ocr, "documents_quarantined": reading.quarantined,
            "ocr_unavailable": _ocr_problem(config) if reading.waiting_for_ocr else None}


def _print_reading(reading: status_queries.ReadingSummary, config: Config) -> None:
    if reading.waiting_for_ocr:
        why = _ocr_problem(config) or "OCR works now"
        _print(f"\nDocuments waiting for OCR: {reading.waiting_for_ocr} ({why}; they are read at their "
               "source's next crawl, or now with `kommunvakt reread`)")
    if reading.quarantined:
        _print(f"Documents quarantined (not read again until the extractor changes; `kommunvakt reread` "
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
    _print(f"Stances ({len(stances)} municipalities known):")
    for s in stances:
        where = f"{s.outlet}, " if s.outlet else ""
        _print(f"  {s.municipality_code} {s.municipality:<18} {s.stance:<9} since {s.since:%Y-%m-%d}  "
               f"({s.authority}, {where}{s.observed_on}) {s.document_url}")
        _print(f"       \u00ab{s.evidence[:200]}\u00bb")
    _print(f"\n{'Sources' if all_sources else 'Sources whose last crawl failed or missed something'} "
           f"({len(sources)}):")
    for s in sources:
        last = f"{s.last_attempt_at:%Y-%m-%d %H:%M}" if s.last_attempt_at else "never"
        _print(f"  {s.key:<28} {s.last_outcome or 'never crawled':<10} {s.health:<8} last attempt {last}"
               + (f"  error: {s.last_error}" if s.last_error else ""))
        for warning in s.last_warnings[:10]:
            _print(f"      warning: {warning}")
        if len(s.last_warnings) > 10:
            _print(f"      ... and {len(s.last_warnings) - 10} more (`kommunvakt status --json`)")
    if problems:
        _print(f"\nDocuments that could not be read ({len(problems)}):")
        for p in problems:
            _print(f"  {p.source}: {p.url}: {p.error}")


def history(config: Config, args: argparse.Namespace) -> int:
    code = Registry.load().resolve(args.municipality).code if args.municipality else None
    service = open_service(config)
    try:
        with service.database.transaction() as session:
            changes = status_queries.change_history(session, service.topic.name, code)
    finally:
        service.close()
    for change in changes:
        if args.json:
            _print(json.dumps(asdict(change), ensure_ascii=False, default=str))
        else:
            _print(f"{change.created_at:%Y-%m-%d %H:%M} {change.municipality_code} {change.municipality}: "
                   f"{change.old_stance} -> {change.new_stance} [{change.status}, {change.confidence:.2f}] "
                   f"\u00ab{change.evidence[:160]}\u00bb {change.document_url}")
    return 0


def export(config: Config, args: argparse.Namespace) -> int:
    service = open_service(config)
    try:
        with service.database.transaction() as session:
            rows = [asdict(r) for r in status_queries.stance_table(session, service.topic.name)]
    finally:
        service.close()
    text = json.dumps(rows, ensure_ascii=False, default=str, indent=2) if args.format == "json" else _csv(rows)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    fields = list(rows[0]) if rows else ["municipality_code", "municipality", "stance"]
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


# --- small commands -------------------------------------------------------------------------


def db(config: Config, args: argparse.Namespace) -> int:
    open_service(config).close()
    _print(f"database is at the newest schema: {_masked(config.database_url)}")
    return 0


def _masked(url: str) -> str:
    from monitor.logs import mask_secrets

    return mask_secrets(url)


def municipalities(config: Config, args: argparse.Namespace) -> int:
    for m in Registry.load():
        if args.json:
            _print(json.dumps({"code": m.code, "name": m.name, "county": m.county, "website": m.website},
                              ensure_ascii=False))
        else:
            _print(f"{m.code}  {m.name:<20} {m.county:<24} {m.website}")
    return 0


def run(config: Config, args: argparse.Namespace) -> int:
    from monitor.daemon import run_daemon

    return run_daemon(config)


def alerts(config: Config, args: argparse.Namespace) -> int:
    from monitor import alert_commands

    return alert_commands.handle(config, args)


def review(config: Config, args: argparse.Namespace) -> int:
    from monitor import alert_commands

    return alert_commands.review(config, args)


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"not a date (YYYY-MM-DD): {text!r}") from None
