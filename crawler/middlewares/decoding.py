"""Read every text response with the project's decoder (crawler.extraction.html), as documents are read.

Scrapy guesses the encoding of a page that declares none with charset-normalizer, which reads a short
undeclared Windows-1252 listing as hp-roman8 or cp1250 ("Sammantrðden", "frĺn"): link texts, titles and dates
come out wrong and navigation links are not recognised.  Here the response is given the encoding
`crawler.extraction.html.html_encoding` chooses (BOM, HTTP charset, <meta charset>, UTF-8, else Windows-1252), so
`response.text`, its selectors and link extraction read the page exactly as the text extraction does.  The
body is left as it came (its hash and the stored raw file do not change).
"""

from __future__ import annotations

from scrapy import Request
from scrapy.http import Response, TextResponse

from crawler.extraction.html import charset_from_content_type, html_encoding


class ProjectDecodingMiddleware:
    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse):
            return response
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        encoding = html_encoding(response.body, charset_from_content_type(content_type))
        return response.replace(encoding=encoding)
