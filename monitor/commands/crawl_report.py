"""What `kommunvakt crawl` prints: one line per source as it ends, a summary with the time it took.

Per-document lines (every URL fetched) only with -v.  Crawl children report from several threads at once,
so every line is printed under one lock.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import TextIO

from monitor.app.crawling import CrawlOutcome


class CrawlReport:
    def __init__(self, total: int, verbose: bool = False, out: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.total = total
        self.verbose = verbose
        self.out = out or sys.stdout
        self.clock = clock
        self.started = clock()
        self.done = 0
        self._lock = threading.Lock()

    def line(self, text: str) -> None:
        with self._lock:
            print(text, file=self.out, flush=True)

    def progress(self, event: dict) -> None:
        """A child's event about one document: shown with -v only."""
        if self.verbose and event.get("event") == "progress":
            self.line(f"      {event.get('outcome', '?'):>9}  {event.get('source', '')}  {event.get('url', '')}")

    def finished(self, outcome: CrawlOutcome) -> None:
        """One source ended: `[37/307] 0665-protocols ok, 12 new`, its errors under it."""
        with self._lock:
            self.done += 1
            count = f"[{self.done}/{self.total}]"
        verdict = "ok" if outcome.ok else f"FAILED ({outcome.outcome})"
        self.line(f"{count} {outcome.source_key} {verdict}, {outcome.documents_new} new"
                  + (f" of {outcome.documents_seen} seen" if self.verbose else ""))
        for error in outcome.errors:
            self.line(f"      error: {error}")

    def summary(self, outcomes: Sequence[CrawlOutcome]) -> str:
        failed = [o for o in outcomes if not o.ok]
        new = sum(o.documents_new for o in outcomes)
        text = (f"crawled {len(outcomes)} sources in {elapsed(self.clock() - self.started)}: "
                f"{len(outcomes) - len(failed)} ok, {len(failed)} failed, {new} new documents")
        self.line(text)
        return text


def elapsed(seconds: float) -> str:
    """1.2 s, 47 s, 3 min 05 s, 1 h 02 min."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"
