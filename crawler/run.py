"""Crawl one source in this process: `python -m crawler.run --config PATH --source KEY --run-id N`.

The parent (monitor.crawling) has migrated the database and opened the run.  This process reads the
source's known documents, runs the spider once in a CrawlerProcess (crawler.spiders.protocols for a
protocols source, crawler.spiders.press for a press source), and writes JSON lines on stdout:
`{"event": "progress", ...}` per document, `{"event": "warning", ...}` for pages it could not fetch, and
finally exactly one `{"event": "summary", "ok": ..., "documents_seen": ..., "documents_new": ...,
"errors": [...], "warnings": [...]}`.

Exit codes: 0 the crawl is ok, 1 the source failed, 2 bad arguments or configuration.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy.exc import SQLAlchemyError

from crawler import events
from crawler.links import redact
from monitor.config import Config, ConfigError, load_config
from monitor.domain import CrawlSummary, ReadState, SourceConfig, SourceKind
from storage.db import Database, StorageError, open_database
from storage.repository import KnownDocument, add_seen, known_documents
from storage.stories import KnownArticle, known_articles

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or configuration: exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _Parser(prog="python -m crawler.run", description="Crawl one source of the config once.")
    parser.add_argument("--config", help="the TOML config (default: $KOMMUNVAKT_CONFIG, else ./kommunvakt.toml)")
    parser.add_argument("--source", required=True, help="the source's key (its name in the config)")
    parser.add_argument("--run-id", required=True, type=int, help="the crawl run opened by the parent")
    parser.add_argument("--since", type=_day, help="backfill: leave out documents dated before YYYY-MM-DD")
    return parser.parse_args(argv)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def load_source(config_path: str | None, key: str) -> tuple[Config, SourceConfig]:
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    try:
        source = config.source(key)
    except KeyError:
        raise UsageError(f"no source {key!r} in the configuration") from None
    return config, source


def read_known(database: Database, source_key: str) -> dict[str, KnownDocument]:
    try:
        with database.transaction() as session:
            return known_documents(session, source_key)
    except KeyError:
        raise StorageError(f"source {source_key!r} is not in the database; the parent syncs sources "
                           "and opens the run before starting this process") from None
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot read the database: {_database_problem(exc)}") from None


def read_known_articles(database: Database, source_key: str) -> dict[str, KnownArticle]:
    """Press: article URLs stored by any press source, with the feed entry's time when stored."""
    try:
        with database.transaction() as session:
            return known_articles(session, source_key)
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot read the database: {_database_problem(exc)}") from None


def press_spider(config: Config) -> tuple[type, dict[str, object]]:
    from crawler.spiders.press import PressSpider

    return PressSpider, {"max_feed_bytes": config.crawl.max_feed_bytes}


def record_seen(database: Database, run_id: int, count: int) -> str | None:
    """Add this crawl's seen documents to its run; a problem is returned as a warning, not raised."""
    try:
        with database.transaction() as session:
            add_seen(session, run_id, count)
    except SQLAlchemyError as exc:
        return f"could not record the documents seen: {_database_problem(exc)}"
    return None


def _database_problem(exc: SQLAlchemyError) -> str:
    cause = getattr(exc, "orig", None) or exc
    return f"{type(cause).__name__}: {' '.join(str(cause).split())[:300]}"


def crawl(config: Config, source: SourceConfig, run_id: int,
          known: Mapping[str, KnownDocument], since: date | None = None) -> tuple[CrawlSummary, tuple[str, ...]]:
    """Run the spider once; return the reporter's summary and warnings."""
    # Scrapy is imported only here, so `--help` and bad arguments answer without loading it.
    from scrapy.crawler import CrawlerProcess

    from crawler.extensions.report import CrawlReporter
    from crawler.settings import RunTarget, build_settings
    from crawler.spiders.protocols import ProtocolsSpider

    target = RunTarget(config.database_url, config.raw_dir, config.data_dir / "crawl-state", run_id, since)
    process = CrawlerProcess(build_settings(config.crawl, source, target))
    spider, options = (ProtocolsSpider, {}) if source.kind is SourceKind.PROTOCOLS else press_spider(config)
    crawler = process.create_crawler(spider)
    process.crawl(crawler, source=source, known=known, **options)
    process.start()
    reporter = crawler.get_extension(CrawlReporter)
    if reporter is None:
        return _failed(source.key, "the crawl did not start"), ()
    return reporter.summary(), reporter.warnings


def run(args: argparse.Namespace) -> tuple[CrawlSummary, tuple[str, ...]]:
    config, source = load_source(args.config, args.source)
    database = open_database(config.database_url, migrate=False)
    try:
        known = read_known(database, source.key)
        reread = reread_waiting(database, config, source.key)
        skip = known_to_skip(known) if source.kind is SourceKind.PROTOCOLS else read_known_articles(database, source.key)
        summary, warnings = crawl(config, source, args.run_id, skip, args.since)
        problem = record_seen(database, args.run_id, summary.documents_seen)
        return summary, reread + warnings + ((problem,) if problem else ())
    finally:
        database.dispose()


def known_to_skip(known: dict[str, KnownDocument]) -> dict[str, KnownDocument]:
    """Known documents the spider does not fetch: all but error pages with tries left (crawler.quarantine)."""
    from crawler.quarantine import without_downloads_again

    return without_downloads_again(known)


def reread_waiting(database: Database, config: Config, source_key: str) -> tuple[str, ...]:
    """Documents of this source that became readable (OCR installed, extractor upgraded): see crawler.quarantine."""
    from crawler.quarantine import RereadOutcome, reread_before_crawl
    from crawler.quarantine import describe as describe_reread

    def report(outcome: RereadOutcome) -> None:
        shown = "reread" if outcome.read_state is ReadState.READ else "error"
        events.emit(events.progress(source_key, redact(outcome.url), shown, extractor=outcome.extractor,
                                    error=outcome.error))

    try:
        outcomes = reread_before_crawl(database, config, source_key, report)
    except SQLAlchemyError as exc:
        return (f"could not read waiting documents again: {_database_problem(exc)}",)
    return tuple(describe_reread(o) for o in outcomes if o.read_state is not ReadState.READ)


def _failed(source_key: str, message: str) -> CrawlSummary:
    return CrawlSummary(source_key, ok=False, errors=(message,))


def main(argv: Sequence[str] | None = None) -> int:
    source_key = _source_key(argv)
    try:
        args = parse_args(argv)
        summary, warnings = run(args)
    except UsageError as exc:
        events.emit(events.summary(_failed(source_key, str(exc))))
        return EXIT_USAGE
    except StorageError as exc:
        summary, warnings = _failed(source_key, str(exc)), ()
    except Exception as exc:  # noqa: BLE001 - the one place a crawl's crash becomes its recorded failure
        summary, warnings = _failed(source_key, f"crawl crashed: {type(exc).__name__}: {exc}"), ()
    events.emit(events.summary(summary, warnings))
    return EXIT_OK if summary.ok else EXIT_FAILED


def _source_key(argv: Sequence[str] | None) -> str:
    """The --source value for the summary, even when the arguments as a whole are bad."""
    words = list(sys.argv[1:] if argv is None else argv)
    for index, word in enumerate(words):
        if word == "--source" and index + 1 < len(words):
            return words[index + 1]
        if word.startswith("--source="):
            return word.split("=", 1)[1]
    return ""


if __name__ == "__main__":
    sys.exit(main())
