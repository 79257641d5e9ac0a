"""Pipeline 2: keep the raw bytes, content-addressed, before any row points at them.

A crash between this and the document row leaves an orphan file, never a row without its file.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.items import DocumentItem
from storage.rawstore import RawStore


class StoreRawPipeline:
    def __init__(self, store: RawStore):
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoreRawPipeline:
        raw_dir = crawler.settings.get("KOMMUNVAKT_RAW_DIR")
        if not raw_dir:
            raise NotConfigured("KOMMUNVAKT_RAW_DIR is not set")
        return cls(RawStore(raw_dir))  # a folder, or an object store by URL

    async def process_item(self, item: DocumentItem) -> DocumentItem:
        digest = await asyncio.get_running_loop().run_in_executor(None, self.store.put, item.body)
        return replace(item, content_hash=digest)
