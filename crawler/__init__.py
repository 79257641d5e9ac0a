"""The crawler: Scrapy spiders, middlewares, pipelines and text extraction, run as `python -m crawler.run`.

The daemon never imports this package's Scrapy parts; it starts `crawler.run` as a child process.
`crawler.extraction.extractor` (no Scrapy) is also what `kommunvakt analyze FILE` can use to read local files.
"""
