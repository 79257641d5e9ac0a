"""Pipeline 3: store the document row, one short transaction per document, and say how it went."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler import signals
from crawler.items import DocumentItem, fetched_document
from monitor.domain import FetchedDocument
from storage.db import Database, open_database
from storage.press_articles import store_article
from storage.repository import store_document


class StoreDocumentPipeline:
    def __init__(self, crawler: Crawler, database_url: str, run_id: int):
        self.crawler = crawler
        self.database_url = database_url
        self.run_id = run_id
        self.database: Database | None = None
        # One writer thread: SQLite takes one writer at a time anyway, and sessions stay in one thread.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreDocumentPipeline:
        url = crawler.settings.get("KOMMUNVAKT_DATABASE_URL")
        run_id = crawler.settings.getint("KOMMUNVAKT_RUN_ID", 0)
        if not url or not run_id:
            raise NotConfigured("KOMMUNVAKT_DATABASE_URL and KOMMUNVAKT_RUN_ID are needed to store documents")
        return cls(crawler, url, run_id)

    def open_spider(self) -> None:
        self.database = open_database(self.database_url, migrate=False)

    async def process_item(self, item: DocumentItem) -> DocumentItem:
        document = fetched_document(item)
        outcome = await asyncio.get_running_loop().run_in_executor(self.executor, self._store, document)
        self.crawler.signals.send_catch_log(
            signals.document_stored, url=document.url, outcome=outcome, title=document.title,
            published_on=document.published_on, error=document.error,
            truncated=bool(item.extraction and item.extraction.truncated),
        )
        return item

    def _store(self, document: FetchedDocument) -> str:
        assert self.database is not None, "open_spider was not called"
        with self.database.transaction() as session:
            if document.article is not None:
                return store_article(session, document, self.run_id)  # a press article and its feed entry
            return store_document(session, document, self.run_id)

    def close_spider(self) -> None:
        self.executor.shutdown(wait=True)
        if self.database is not None:
            self.database.dispose()
