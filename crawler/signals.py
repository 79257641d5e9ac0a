"""Crawl events, sent through `crawler.signals` by the spider and the pipelines; the reporter listens.

Each signal is sent with keyword arguments:

- start_failed(url, reason): a start URL could not be fetched.
- page_failed(url, reason): another page could not be fetched (a warning, not a failure).
- document_found(url, known): a document link was found; known ones are not fetched again.
- document_failed(url, reason): a document could not be downloaded.
- document_stored(url, outcome, title, published_on, error, truncated): a document was stored
  (outcome from storage.repository.store_document; error when its text could not be read;
  truncated when only the first pdf_max_pages pages were read).
"""

from __future__ import annotations

start_failed = object()
page_failed = object()
document_found = object()
document_failed = object()
document_stored = object()
