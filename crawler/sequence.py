"""Crawling a batch of sources in one process and one Twisted reactor.

The reactor cannot be restarted, so a batch runs as Scrapy crawlers in one reactor: each source gets its own
`Crawler` with its own settings (start URLs, run id, limits), two at a time (`SIDE_BY_SIDE`), in order.
What is done before a crawl (reading the known documents) and after it (recording the summary) is the
caller's, through `prepare` and `finished`; one source's failure is its own summary, never the batch's.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.utils.reactor import install_reactor
from twisted.internet.defer import Deferred, DeferredList, DeferredSemaphore, inlineCallbacks

from crawler.extensions.report import CrawlReporter
from crawler.jobs import Job, Prepared
from crawler.settings import REACTOR, RunTarget, build_settings, process_settings
from monitor.config import Config
from monitor.domain import CrawlSummary, SourceConfig, SourceKind
from storage.db import StorageError

# Sources crawled at once in one child.  A re-crawl is mostly waiting on answers (each source's hosts get
# at most concurrent_requests_per_host at a time); two side by side keep the child busy.  Extraction shares
# one pool per process (crawler.pipelines.extract), so a first crawl does not read more PDFs at once.
SIDE_BY_SIDE = 2


@dataclass(frozen=True)
class Finished:
    """How one source's crawl ended; `crawled` when its spider ran (so its seen documents count)."""

    summary: CrawlSummary
    warnings: tuple[str, ...] = ()
    crawled: bool = False


Prepare = Callable[[SourceConfig], Prepared]
OnFinished = Callable[[Job, Finished], None]


def crawl_in_turn(config: Config, jobs: Sequence[Job], prepare: Prepare, finished: OnFinished,
                  since: date | None = None, side_by_side: int = SIDE_BY_SIDE) -> None:
    """Crawl the jobs in order, `side_by_side` at a time; call `finished` for each as it ends.  Returns when
    all have ended or a signal (SIGTERM, SIGINT) stopped the reactor; jobs not reached get no call."""
    install_reactor(REACTOR)
    process = CrawlerProcess(process_settings(config.crawl))
    from twisted.internet import reactor

    slots = DeferredSemaphore(max(1, side_by_side))

    def one(job: Job) -> Deferred[None]:
        return slots.run(lambda: _crawl_one(process, config, job, prepare, since).addCallback(
            lambda outcome: finished(job, outcome)))

    def chain() -> None:
        DeferredList([one(job) for job in jobs], consumeErrors=True).addBoth(process._stop_reactor)  # noqa: SLF001

    reactor.callWhenRunning(chain)
    process.start(stop_after_crawl=False)


@inlineCallbacks
def _crawl_one(process: CrawlerProcess, config: Config, job: Job, prepare: Prepare,
               since: date | None) -> Generator[Deferred[Any], Any, Finished]:
    key = job.source.key
    try:
        prepared = prepare(job.source)
    except StorageError as exc:
        return Finished(CrawlSummary.failure(key, str(exc)))
    except Exception as exc:  # noqa: BLE001 - one source's crash is its recorded failure, not the batch's
        return Finished(CrawlSummary.failure(key, f"crawl crashed: {type(exc).__name__}: {exc}"))
    target = RunTarget(config.database_url, config.raw_location, config.state_location, job.run_id, since)
    spider, options = _spider(config, job.source)
    crawler = Crawler(spider, build_settings(config.crawl, job.source, target))
    try:
        yield process.crawl(crawler, source=job.source, known=prepared.skip, **options)
    except Exception as exc:  # noqa: BLE001 - one source's crash is its recorded failure, not the batch's
        return Finished(CrawlSummary.failure(key, f"crawl crashed: {type(exc).__name__}: {exc}"), prepared.warnings)
    reporter = crawler.get_extension(CrawlReporter)
    if reporter is None:
        return Finished(CrawlSummary.failure(key, "the crawl did not start"), prepared.warnings)
    return Finished(reporter.summary(), prepared.warnings + reporter.warnings, crawled=True)


def _spider(config: Config, source: SourceConfig) -> tuple[type, dict[str, object]]:
    if source.kind is SourceKind.PROTOCOLS:
        from crawler.spiders.protocols import ProtocolsSpider

        return ProtocolsSpider, {}
    from crawler.spiders.press import PressSpider

    return PressSpider, {"max_feed_bytes": config.crawl.max_feed_bytes}
