"""Pipeline 0 (press only): read an article page off the reactor, or fall back to the feed's summary.

Items that did not come from a feed entry pass through untouched.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from scrapy.crawler import Crawler

from crawler import signals
from crawler.articles import article_item, read_article
from crawler.extraction.extractor import PdfLimits
from crawler.items import DocumentItem
from crawler.links import redact
from crawler.pipelines.extract import pdf_limits


class ReadArticlePipeline:
    def __init__(self, crawler: Crawler, limits: PdfLimits, workers: int):
        self.crawler = crawler
        self.limits = limits
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="article")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReadArticlePipeline:
        settings = crawler.settings
        return cls(crawler, pdf_limits(settings), settings.getint("KOMMUNVAKT_EXTRACT_WORKERS", os.cpu_count() or 1))

    async def process_item(self, item: DocumentItem) -> DocumentItem:
        if item.press is None or item.extraction is not None:
            return item
        job = partial(read_article, item.body, item.url, item.content_type, self.limits)
        page = await asyncio.get_running_loop().run_in_executor(self.executor, job)
        read = article_item(item, page)
        if read.article is not None and read.article.page_problem:
            reason = f"{redact(item.url)}: {read.article.page_problem}; kept the feed's summary"
            self.crawler.signals.send_catch_log(signals.page_failed, url=item.url, reason=reason)
        return read

    def close_spider(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
