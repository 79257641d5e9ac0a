"""A crawl process that fetches one URL with the request-time address check switched off, as in the window a
DNS rebinding exploits (the name looked public when the request was made).  Prints one JSON line: the
status, or the failure as crawler.failures describes it.  Run by tests/crawler/test_connect_time_addresses.py:

    python -m tests.support.connect_probe URL allow|deny
"""

from __future__ import annotations

import json
import sys

from scrapy import Request, Spider
from scrapy.utils.reactor import install_reactor

from crawler.failures import describe
from crawler.settings import DOWNLOADER_MIDDLEWARES, REACTOR, process_settings
from monitor.config import CrawlSettings


class Probe(Spider):
    name = "probe"

    def __init__(self, url: str, **kwargs):
        super().__init__(**kwargs)
        self.url = url

    async def start(self):
        yield Request(self.url, callback=self.fetched, errback=self.failed, dont_filter=True)

    def fetched(self, response):
        print(json.dumps({"status": response.status}), flush=True)

    def failed(self, failure):
        print(json.dumps({"error": describe(failure, failure.request.url)}), flush=True)


def main(url: str, allow: bool) -> None:
    install_reactor(REACTOR)
    from scrapy.crawler import CrawlerProcess

    settings = process_settings(CrawlSettings(allow_private_addresses=allow))
    settings.setdict({
        "DOWNLOADER_MIDDLEWARES": {**DOWNLOADER_MIDDLEWARES, "crawler.middlewares.addresses.PrivateAddressMiddleware": None},
        "ROBOTSTXT_OBEY": False, "RETRY_ENABLED": False, "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False,
    }, priority="cmdline")
    process = CrawlerProcess(settings)
    process.crawl(Probe, url=url)
    process.start()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] == "allow")
