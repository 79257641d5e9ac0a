"""`kommunvakt serve`: the site folder over HTTP, read-only, with a strict Content-Security-Policy.

For people who do not run a web server; behind nginx the folder is served directly (see README).  Only GET
and HEAD; no directory listings; a path that leads outside the folder (``..``, a symlink) is not found.
"""

from __future__ import annotations

import logging
import os
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

log = logging.getLogger("kommunvakt.serve")

CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                           "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
}
TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml",
    ".atom": "application/atom+xml; charset=utf-8", ".csv": "text/csv; charset=utf-8",
    ".json": "application/json; charset=utf-8",
}


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}
    server_version = "kommunvakt"
    sys_version = ""

    def end_headers(self) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        super().end_headers()

    def translate_path(self, path: str) -> str:
        translated = super().translate_path(path)
        root = os.path.realpath(self.directory)
        real = os.path.realpath(translated)
        if real != root and not real.startswith(root + os.sep):
            return ""  # opening "" fails: answered 404
        return real

    def list_directory(self, path):  # noqa: ANN001 - no listings: a folder without index.html is not found
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")
        return None

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        log.info("%s %s", self.address_string(), format % args)


def make_server(folder: Path, host: str, port: int) -> ThreadingHTTPServer:
    handler = partial(SiteHandler, directory=str(folder))
    return ThreadingHTTPServer((host, port), handler)
