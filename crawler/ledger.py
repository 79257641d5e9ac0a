"""The account of one crawl run: what was found, stored and what went wrong; decides ok or failed.

A source FAILED when a start URL could not be fetched, when the crawl found no document at all (sites
change and scrapers rot silently), or when a document could not be read (it is then quarantined, see
crawler.extraction.reread).  Pages and documents that could not be downloaded are warnings: they are tried again
next run.  A scanned PDF (or one whose text layer is unreadable) stored to wait for OCR is a warning too: nothing is wrong with the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.extraction.extractor import WAITS_FOR_OCR
from crawler.links import redact
from monitor.domain import CrawlSummary

NEW_OUTCOMES = ("new", "changed")
_CLOSE_REASONS = {
    "finished": None,
    "closespider_pagecount": "stopped at the request cap (max_requests_per_run); the rest is crawled next run",
    "closespider_timeout": "stopped at the time limit (timeout_seconds); the rest is crawled next run",
}


def waits_for_ocr(error: str) -> bool:
    return error.startswith(WAITS_FOR_OCR)


@dataclass
class CrawlLedger:
    source_key: str
    start_urls: tuple[str, ...]
    documents: set[str] = field(default_factory=set)
    new: set[str] = field(default_factory=set)
    start_failures: dict[str, str] = field(default_factory=dict)
    failed_downloads: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def found(self, url: str, known: bool) -> None:
        """A document link; a known one counts as seen (it is not fetched again)."""
        if known:
            self.documents.add(url)

    def download_failed(self, url: str, reason: str) -> None:
        self.failed_downloads.setdefault(url, reason)
        self.warn(reason)

    def stored(self, url: str, outcome: str, error: str | None) -> None:
        self.documents.add(url)
        if outcome in NEW_OUTCOMES:
            self.new.add(url)
        if error and waits_for_ocr(error):
            self.warn(f"{redact(url)}: {error}")  # stored; read once OCR is installed (crawler.extraction.reread)
        elif error:
            self.errors.append(f"{redact(url)}: {error}")

    def store_failed(self, url: str, message: str) -> None:
        """Fetched but not stored (disk, database): seen, and a failure."""
        self.documents.add(url)
        self.fail(message)

    def start_failed(self, url: str, reason: str) -> None:
        self.start_failures.setdefault(url, reason)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def fail(self, message: str) -> None:
        self.errors.append(message)

    def closed(self, reason: str) -> None:
        message = _CLOSE_REASONS.get(reason, f"the crawl ended early ({reason})")
        if reason == "shutdown":
            self.fail("the crawl was stopped before it finished")
        elif message:
            self.warn(message)

    def summary(self) -> CrawlSummary:
        errors = self._start_errors()
        if not self.documents and len(self.start_failures) < len(self.start_urls):
            errors.append(self._nothing_found())
        errors += self.errors
        return CrawlSummary(self.source_key, ok=not errors, documents_seen=len(self.documents),
                            documents_new=len(self.new), errors=tuple(errors))

    def _start_errors(self) -> list[str]:
        """Failed start URLs in the order the config lists them."""
        ordered = [u for u in self.start_urls if u in self.start_failures]
        ordered += [u for u in self.start_failures if u not in self.start_urls]
        return [self.start_failures[u] for u in ordered]

    def _nothing_found(self) -> str:
        if self.failed_downloads:
            first = next(iter(self.failed_downloads.values()))
            return (f"found {len(self.failed_downloads)} protocol documents but could not download any "
                    f"(first: {first})")
        return f"found no protocol documents from {', '.join(redact(u) for u in self.start_urls)}"
