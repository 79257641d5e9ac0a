"""A real HTTP server on 127.0.0.1 that misbehaves on purpose, path by path.

    server = FaultServer().start()
    server.route("/p.pdf", Static(pdf_bytes, "application/pdf"))
    server.route("/slow.pdf", Slow(pdf_bytes, seconds=1.0))
    server.route("/cut.pdf", Truncated(pdf_bytes))         # Content-Length says more than is sent
    server.route("/loop", Redirect("/loop"))
    server.requests("/loop")                                  # how often it was asked for

Every behaviour is what real servers do: the bytes go over a real socket, and the crawler cannot tell this
server from a municipality's.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class Behaviour:
    def serve(self, handler: BaseHTTPRequestHandler) -> int:
        """Answer the request; return the status sent (for the log)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Static(Behaviour):
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200

    def serve(self, handler: BaseHTTPRequestHandler) -> int:
        _head(handler, self.status, {"Content-Type": self.content_type, "Content-Length": str(len(self.body))})
        handler.wfile.write(self.body)
        return self.status


@dataclass(frozen=True)
class Slow(Behaviour):
    """The whole body, but in ten pieces spread over `seconds`."""

    body: bytes
    seconds: float
    content_type: str = "application/pdf"

    def serve(self, handler: BaseHTTPRequestHandler) -> int:
        _head(handler, 200, {"Content-Type": self.content_type, "Content-Length": str(len(self.body))})
        step = max(1, len(self.body) // 10)
        for start in range(0, len(self.body), step):
            time.sleep(self.seconds / 10)
            handler.wfile.write(self.body[start:start + step])
            handler.wfile.flush()
        return 200


@dataclass(frozen=True)
class Silent(Behaviour):
    """Accepts the connection and never answers (until `seconds` pass)."""

    seconds: float = 30.0

    def serve(self, handler: BaseHTTPRequestHandler) -> int:
        time.sleep(self.seconds)
        handler.close_connection = True
        return 0


@dataclass(frozen=True)
class Truncated(Behaviour):
    """Promises the whole body in Content-Length, sends half, closes the connection."""

    body: bytes
    content_type: str = "application/pdf"

    def serve(self, handler: BaseHTTPRequestHandler) -> int:
        _head(handler, 200, {"Content-Type": self.content_type, "Content-Length": str(len(self.body))})
        handler.wfile.write(self.body[: len(self.body) // 2])
        handler.wfile.flush()
        handler.close_connection = True
        return 200


@dataclass(frozen=True)
class Redirect(Behaviour):
    location: str
    status: int = 302

    def serve(self, handler: BaseHTTPRequestHandler) -> int:
        _head(handler, self.status, {"Location": self.location, "Content-Length": "0"})
        return self.status


@dataclass(frozen=True)
class Endless(Behaviour):
    """No Content-Length, and bytes until the client hangs up (or `limit` bytes)."""

    content_type: str = "application/pdf"
    limit: int = 512 * 1024 * 1024

    def serve(self, handler: BaseHTTPRequestHandler) -> int:
        _head(handler, 200, {"Content-Type": self.content_type, "Connection": "close"})
        chunk = b"%PDF-1.4\n" + bytes(64 * 1024)
        sent = 0
        try:
            while sent < self.limit:
                handler.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass  # the client gave up: that is the point
        handler.close_connection = True
        return 200


def _head(handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str]) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()


class FaultServer:
    def __init__(self) -> None:
        self._routes: dict[str, Behaviour] = {}
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def route(self, path: str, behaviour: Behaviour) -> str:
        with self._lock:
            self._routes[path] = behaviour
        return self.url(path)

    def requests(self, path: str) -> int:
        with self._lock:
            return self._counts[path]

    def url(self, path: str = "/") -> str:
        assert self._server is not None, "server not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def start(self) -> FaultServer:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="fault-http", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()

    def _behaviour(self, path: str) -> Behaviour | None:
        with self._lock:
            self._counts[path] += 1
            return self._routes.get(path)


def _handler_for(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            path = urlsplit(self.path).path
            behaviour = server._behaviour(path) or Static(b"<html><body>Sidan finns inte</body></html>", status=404)
            try:
                behaviour.serve(self)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler
