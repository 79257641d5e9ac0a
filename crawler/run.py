"""Crawl sources in this process: `python -m crawler.run --config PATH --source KEY --run-id N [...]`.

`--source` and `--run-id` come in pairs and may be repeated: a batch of sources is crawled one after
another in one process (one reactor), so `crawl --all` pays Python's and Scrapy's start-up once per batch
instead of once per municipality.  The parent (monitor.app.crawling) has migrated the database and opened
each run.  For each source this process reads its known documents, runs the spider once (a Scrapy
crawler of crawler.spiders.protocols for a protocols source, crawler.spiders.press for a press source),
and writes JSON lines on stdout: `{"event": "progress", "source": ...}` per document,
`{"event": "warning", ...}` for pages it could not fetch, and, as soon as that source is done, exactly
one `{"event": "summary", "source": ..., "ok": ..., "documents_seen": ..., "documents_new": ...,
"errors": [...], "warnings": [...]}`.

Exit codes: 0 every crawl is ok, 1 a source failed, 2 bad arguments or configuration.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date

from sqlalchemy.exc import SQLAlchemyError

from crawler import events
from crawler.jobs import Job, Prepared
from crawler.links import redact
from monitor.config import Config, ConfigError, load_config
from monitor.domain import CrawlSummary, ReadState, SourceConfig, SourceKind
from storage.db import Database, StorageError, open_database
from storage.press_articles import KnownArticle, known_articles
from storage.repository import KnownDocument, add_seen, known_documents

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or configuration: exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = _Parser(prog="python -m crawler.run", description="Crawl sources of the config once, in turn.")
    parser.add_argument("--config", help="the TOML config (default: $KOMMUNVAKT_CONFIG, else ./kommunvakt.toml)")
    parser.add_argument("--source", required=True, action="append", help="a source's key (its name in the "
                        "config); repeat --source and --run-id to crawl a batch")
    parser.add_argument("--run-id", required=True, action="append", type=int,
                        help="the crawl run the parent opened for the --source in the same place")
    parser.add_argument("--since", type=_day, help="backfill: leave out documents dated before YYYY-MM-DD")
    args = parser.parse_args(argv)
    if len(args.source) != len(args.run_id):
        raise UsageError(f"{parser.prog}: give one --run-id per --source "
                         f"({len(args.source)} sources, {len(args.run_id)} run ids)")
    return args


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def load_jobs(config_path: str | None, keys: Sequence[str], run_ids: Sequence[int]) -> tuple[Config, list[Job]]:
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    jobs = []
    for key, run_id in zip(keys, run_ids, strict=True):
        try:
            jobs.append(Job(config.source(key), run_id))
        except KeyError:
            raise UsageError(f"no source {key!r} in the configuration") from None
    return config, jobs


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


def prepare(database: Database, config: Config, source: SourceConfig) -> Prepared:
    """Read what the spider must not fetch again, after reading waiting documents again."""
    known = read_known(database, source.key)
    warnings = reread_waiting(database, config, source.key)
    skip = known_to_skip(known) if source.kind is SourceKind.PROTOCOLS else read_known_articles(database, source.key)
    return Prepared(skip, warnings)


def known_to_skip(known: dict[str, KnownDocument]) -> dict[str, KnownDocument]:
    """Known documents the spider does not fetch: all but error pages with tries left (crawler.extraction.reread)."""
    from crawler.extraction.reread import without_downloads_again

    return without_downloads_again(known)


def reread_waiting(database: Database, config: Config, source_key: str) -> tuple[str, ...]:
    """Documents of this source that became readable (OCR installed, extractor upgraded): see crawler.extraction.reread."""
    from crawler.extraction.reread import RereadOutcome, reread_before_crawl
    from crawler.extraction.reread import describe as describe_reread

    def report(outcome: RereadOutcome) -> None:
        shown = "reread" if outcome.read_state is ReadState.READ else "error"
        events.emit(events.progress(source_key, redact(outcome.url), shown, extractor=outcome.extractor,
                                    error=outcome.error))

    try:
        outcomes = reread_before_crawl(database, config, source_key, report)
    except SQLAlchemyError as exc:
        return (f"could not read waiting documents again: {_database_problem(exc)}",)
    return tuple(describe_reread(o) for o in outcomes if o.read_state is not ReadState.READ)


def run(args: argparse.Namespace) -> list[bool]:
    """Crawl every job in turn; emit each one's summary as it ends; return whether each was ok."""
    from crawler.sequence import Finished, crawl_in_turn

    config, jobs = load_jobs(args.config, args.source, args.run_id)
    database = open_database(config.database_url, migrate=False)
    results: dict[int, bool] = {}

    def finished(job: Job, outcome: Finished) -> None:
        warnings = outcome.warnings
        if outcome.crawled:
            problem = record_seen(database, job.run_id, outcome.summary.documents_seen)
            warnings += (problem,) if problem else ()
        events.emit(events.summary(outcome.summary, warnings))
        results[job.run_id] = outcome.summary.ok

    try:
        crawl_in_turn(config, jobs, lambda source: prepare(database, config, source), finished, args.since)
        unreached = "the crawl was stopped before it reached this source"
    except Exception as exc:  # noqa: BLE001 - the one place a batch's crash becomes its sources' recorded failure
        unreached = f"crawl crashed: {type(exc).__name__}: {exc}"
    finally:
        database.dispose()
    for job in jobs:
        if job.run_id not in results:
            finished(job, Finished(CrawlSummary.failure(job.source.key, unreached)))
    return list(results.values())


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parse_args(argv)
        results = run(args)
    except UsageError as exc:
        _fail_all(argv, str(exc))
        return EXIT_USAGE
    except StorageError as exc:
        _fail_all(argv, str(exc))
        return EXIT_FAILED
    return EXIT_OK if all(results) else EXIT_FAILED


def _fail_all(argv: Sequence[str] | None, message: str) -> None:
    """One failed summary per source named, so the parent records each (even when the arguments are bad)."""
    for key in _source_keys(argv) or [""]:
        events.emit(events.summary(CrawlSummary.failure(key, message)))


def _source_keys(argv: Sequence[str] | None) -> list[str]:
    """The --source values, even when the arguments as a whole are bad."""
    words = list(sys.argv[1:] if argv is None else argv)
    keys = []
    for index, word in enumerate(words):
        if word == "--source" and index + 1 < len(words):
            keys.append(words[index + 1])
        elif word.startswith("--source="):
            keys.append(word.split("=", 1)[1])
    return keys


if __name__ == "__main__":
    sys.exit(main())
