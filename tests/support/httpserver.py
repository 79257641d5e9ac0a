"""A real HTTP server on 127.0.0.1 serving a directory, for crawl tests.

    server = FixtureServer(root).start()
    server.url("/index.html")        # http://127.0.0.1:<port>/index.html
    server.requests("/robots.txt")   # how often a path was asked for
    server.set_status("/x", 404)     # make a path answer with a status
    server.stop()

ETag / Last-Modified come from the file's bytes and mtime, and conditional requests get 304.
"""

from __future__ import annotations

import email.utils
import hashlib
import mimetypes
import threading
from collections import Counter
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.support.loopback import LoopbackServer

_TYPES = {".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8", ".pdf": "application/pdf",
          ".txt": "text/plain; charset=utf-8", ".xml": "application/xml"}


class FixtureServer(LoopbackServer):
    thread_name = "fixture-http"

    def __init__(self, root: Path, validators: bool = True):
        super().__init__()
        self.root = Path(root)
        self.validators = validators  # send ETag/Last-Modified and answer conditional requests with 304
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._log: list[tuple[str, int]] = []
        self._agents: set[str] = set()
        self._statuses: dict[str, int] = {}
        self._headers: dict[str, dict[str, str]] = {}

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        return _handler_for(self)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path if path.startswith('/') else '/' + path}"

    # --- behaviour ---

    def set_status(self, path: str, status: int) -> None:
        """Answer `path` with this status (and a small HTML body) instead of the file."""
        with self._lock:
            self._statuses[path] = status

    def clear_status(self, path: str) -> None:
        """Serve the file at `path` again."""
        with self._lock:
            self._statuses.pop(path, None)

    def set_headers(self, path: str, headers: dict[str, str]) -> None:
        """Override response headers for `path` (e.g. a Content-Type without charset)."""
        with self._lock:
            self._headers[path] = dict(headers)

    # --- what happened ---

    def requests(self, path: str) -> int:
        with self._lock:
            return self._counts[path]

    def full_responses(self, path: str) -> int:
        """How often `path` was answered with a body (status 200)."""
        with self._lock:
            return sum(1 for p, status in self._log if p == path and status == 200)

    @property
    def log(self) -> list[tuple[str, int]]:
        """Every (path, status) answered, in order."""
        with self._lock:
            return list(self._log)

    def user_agents(self) -> set[str]:
        """Every User-Agent header seen."""
        with self._lock:
            return set(self._agents)

    def reset_counts(self) -> None:
        with self._lock:
            self._counts.clear()
            self._log.clear()
            self._agents.clear()

    # --- used by the handler ---

    def _record(self, path: str, status: int, agent: str | None) -> None:
        with self._lock:
            if agent:
                self._agents.add(agent)
            self._counts[path] += 1
            self._log.append((path, status))

    def _override(self, path: str) -> tuple[int | None, dict[str, str]]:
        with self._lock:
            return self._statuses.get(path), dict(self._headers.get(path, {}))

    def file_for(self, path: str) -> Path | None:
        relative = unquote(path).lstrip("/")
        candidate = (self.root / relative).resolve()
        if not candidate.is_relative_to(self.root.resolve()):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None


def _handler_for(server: FixtureServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_FixtureHandler):
        fixture = server

    return Handler


class _FixtureHandler(BaseHTTPRequestHandler):
    fixture: FixtureServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # quiet: tests read counts, not logs

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(send_body=False)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(send_body=True)

    def _serve(self, send_body: bool) -> None:
        path = urlsplit(self.path).path
        status, headers = self.fixture._override(path)
        if status is not None:
            return self._answer(path, status, _status_page(status), headers, send_body)
        file = self.fixture.file_for(path)
        if file is None:
            return self._answer(path, 404, _status_page(404), headers, send_body)
        self._serve_file(path, file, headers, send_body)

    def _serve_file(self, path: str, file: Path, headers: dict[str, str], send_body: bool) -> None:
        body = file.read_bytes()
        validators = _validators(file, body) if self.fixture.validators else {}
        if validators and self._not_modified(validators):
            return self._answer(path, 304, b"", validators, send_body)
        merged = {"Content-Type": _content_type(file), **validators, **headers}
        self._answer(path, 200, body, merged, send_body)

    def _not_modified(self, validators: dict[str, str]) -> bool:
        etag = self.headers.get("If-None-Match")
        if etag is not None:
            return validators["ETag"] in [tag.strip() for tag in etag.split(",")]
        since = self.headers.get("If-Modified-Since")
        return since is not None and since == validators["Last-Modified"]

    def _answer(self, path: str, status: int, body: bytes, headers: dict[str, str], send_body: bool) -> None:
        self.fixture._record(path, status, self.headers.get("User-Agent"))
        self.send_response(status)
        headers = {"Content-Type": "text/html; charset=utf-8", **headers} if status != 304 else headers
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and status != 304:
            self.wfile.write(body)


def _validators(file: Path, body: bytes) -> dict[str, str]:
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    modified = email.utils.formatdate(int(file.stat().st_mtime), usegmt=True)
    return {"ETag": etag, "Last-Modified": modified}


def _content_type(file: Path) -> str:
    return _TYPES.get(file.suffix.lower()) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"


def _status_page(status: int) -> bytes:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Status"
    return f"<!DOCTYPE html><html><head><title>{status} {phrase}</title></head><body><h1>{phrase}</h1></body></html>".encode()
