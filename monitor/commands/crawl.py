"""`kommunvakt crawl`: crawl now, then analyse, check health and alert as the daemon would."""

from __future__ import annotations

import argparse
import time
from datetime import date

from monitor.app.crawling import CrawlOutcome, crawl_source, crawl_sources
from monitor.app.locks import holder_name
from monitor.app.rounds import analyse_check_dispatch
from monitor.app.service import Service, open_service
from monitor.commands.crawl_report import CrawlReport
from monitor.commands.output import UsageError, print_round, say
from monitor.config import Config
from monitor.domain import SourceConfig, SourceKind
from monitor.municipalities import Registry
from storage.repository import SourceLocked


def register(sub) -> None:
    p = sub.add_parser("crawl", help="crawl now, then analyse and alert as the daemon would")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--municipality", help="name (any case, with or without å/ä/ö) or kommunkod")
    which.add_argument("--all", action="store_true", help="every enabled source")
    which.add_argument("--press", action="store_true", help="the press sources")
    which.add_argument("--source", help="one source by its name")
    p.add_argument("--no-alerts", action="store_true", help="record stances without alerting (backfill)")
    p.add_argument("--since", help="backfill: with --no-alerts, fill history from this date (YYYY-MM-DD)")
    p.add_argument("--wait", action="store_true", help="wait for a crawl of the same source that is running")
    p.set_defaults(handler=crawl)


def crawl(config: Config, args: argparse.Namespace) -> int:
    since = _backfill_day(args)
    sources = _selected_sources(config, Registry.load(), args)  # a bad request writes nothing
    service = open_service(config)
    try:
        outcomes = _crawl_many(service, sources, args.wait, since, CrawlReport(len(sources), args.verbose))
        print_round(analyse_check_dispatch(service, "dispatch", alerts_enabled=not args.no_alerts))
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


def _crawl_many(service: Service, sources: list[SourceConfig], wait: bool, since: date | None,
                report: CrawlReport) -> list[CrawlOutcome]:
    """Protocol sources in batches, in parallel children (monitor.app.crawling.crawl_sources); a locked one waits.
    Press feeds one at a time in config order: the first copy of a story stored decides which outlet it
    is attributed to, so that must not depend on which child was faster."""
    protocols = [s for s in sources if s.kind is not SourceKind.PRESS]
    press = [s for s in sources if s.kind is SourceKind.PRESS]
    outcomes = _crawl_batches(service, protocols, wait, since, report) if len(protocols) > 1 else \
        [_crawl_one(service, source, wait, since, report) for source in protocols]
    outcomes += [_crawl_one(service, source, wait, since, report) for source in press]
    report.summary(outcomes)
    return outcomes


def _crawl_batches(service: Service, sources: list[SourceConfig], wait: bool,
                   since: date | None, report: CrawlReport) -> list[CrawlOutcome]:
    workers = service.config.daemon.max_concurrent_crawls
    say(f"crawling {len(sources)} sources, {workers} at a time")
    outcomes = crawl_sources(service.database, service.config, sources, holder_name("crawl"), workers,
                             report.progress, since=since, on_finished=report.finished)
    by_key = {source.key: source for source in sources}
    finished = []
    for outcome in outcomes:
        if outcome.outcome == "locked" and wait:
            outcome = _crawl_one(service, by_key[outcome.source_key], wait, since, report)
        elif outcome.outcome == "locked":  # the others were reported as they ended
            report.finished(outcome)
        finished.append(outcome)
    return finished


def _crawl_one(service: Service, source: SourceConfig, wait: bool, since: date | None,
               report: CrawlReport) -> CrawlOutcome:
    if report.verbose:
        report.line(f"crawling {source.key} ({', '.join(source.start_urls or source.feed_urls)})")
    deadline = time.monotonic() + (service.config.crawl.timeout_seconds if wait else 0)
    while True:
        try:
            outcome = crawl_source(service.database, service.config, source, holder_name("crawl"), report.progress,
                                   since=since, on_finished=report.finished)
            break
        except SourceLocked as exc:
            if time.monotonic() >= deadline:
                outcome = CrawlOutcome(source.key, False, "locked", errors=(f"not crawled: {exc}",))
                report.finished(outcome)
                break
            time.sleep(2)
    return outcome
