"""What a crawl child works on (crawler.run) and hands to the crawl of a batch (crawler.sequence)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from monitor.domain import SourceConfig


@dataclass(frozen=True)
class Job:
    """One source to crawl, in the run its parent opened for it."""

    source: SourceConfig
    run_id: int


@dataclass(frozen=True)
class Prepared:
    """What a source's crawl starts from: the documents not to fetch, and warnings from before it."""

    skip: Mapping[str, object]
    warnings: tuple[str, ...]
