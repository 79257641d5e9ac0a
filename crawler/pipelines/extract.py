"""Pipeline 1: read the document's text (PDF in a sandbox child, OCR, HTML with trafilatura) off the reactor."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.settings import BaseSettings

from crawler.extraction.extractor import PdfLimits, extract_document
from crawler.extraction.ocr import OcrSettings
from crawler.items import DocumentItem

MIN_PAGE_CHARS = 1000  # an HTML page with less main text is navigation, not a protocol


def pdf_limits(settings: BaseSettings) -> PdfLimits:
    defaults = PdfLimits()
    return PdfLimits(
        timeout_seconds=settings.getfloat("KOMMUNVAKT_PDF_TIMEOUT", defaults.timeout_seconds),
        memory_mb=settings.getint("KOMMUNVAKT_PDF_MEMORY_MB", defaults.memory_mb),
        max_pages=settings.getint("KOMMUNVAKT_PDF_MAX_PAGES", defaults.max_pages),
        ocr=OcrSettings(settings.get("KOMMUNVAKT_OCR_COMMAND", defaults.ocr.command),
                        settings.get("KOMMUNVAKT_OCR_LANGUAGES", defaults.ocr.languages)),
        ocr_timeout_seconds=settings.getfloat("KOMMUNVAKT_OCR_TIMEOUT", defaults.ocr_timeout_seconds),
    )


class ExtractTextPipeline:
    def __init__(self, limits: PdfLimits, workers: int):
        self.limits = limits
        self.executor = shared_executor(workers)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractTextPipeline:
        settings = crawler.settings
        return cls(pdf_limits(settings), settings.getint("KOMMUNVAKT_EXTRACT_WORKERS", os.cpu_count() or 1))

    async def process_item(self, item: DocumentItem) -> DocumentItem:
        if item.extraction is not None:
            return item  # already read (a press article: crawler.pipelines.article)
        job = partial(extract_document, item.body, item.url, item.content_type, self.limits, item.expect_pdf)
        extraction = await asyncio.get_running_loop().run_in_executor(self.executor, job)
        if item.is_page and (not extraction.ok or len(extraction.text) < MIN_PAGE_CHARS):
            raise DropItem(f"{item.url}: page has too little text to be a protocol", log_level="DEBUG")
        return replace(item, extraction=extraction)


_EXECUTORS: dict[int, ThreadPoolExecutor] = {}


def shared_executor(workers: int) -> ThreadPoolExecutor:
    """One extraction pool per process: the crawlers of a batch running side by side share the cores
    (each extraction is a sandbox process of its own) instead of each starting as many as there are."""
    if workers not in _EXECUTORS:
        _EXECUTORS[workers] = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="extract")
    return _EXECUTORS[workers]
