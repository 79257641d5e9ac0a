"""A real HTTP webhook receiver on 127.0.0.1 that records JSON POSTs (apprise ``json://`` targets).

    hook = WebhookReceiver().start()
    hook.url("/ops")                        # json://127.0.0.1:<port>/ops
    hook.url("/ops", user="kv", password="s3cret")
    hook.fail_with(500)                     # answer every request with 500 ...
    hook.fail_with(None)                    # ... and back to 200
    hook.posts                              # [ReceivedPost(path, json, headers)], in arrival order
    hook.stop()
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from tests.support.loopback import LoopbackServer


@dataclass(frozen=True)
class ReceivedPost:
    path: str
    json: dict
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200  # what the receiver answered

    @property
    def title(self) -> str:
        return str(self.json.get("title", ""))

    @property
    def message(self) -> str:
        return str(self.json.get("message", ""))


class WebhookReceiver(LoopbackServer):
    thread_name = "webhook"

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._posts: list[ReceivedPost] = []
        self._status: int | None = None

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        return _handler_for(self)

    def url(self, path: str = "/hook", user: str | None = None, password: str | None = None) -> str:
        auth = f"{user}:{password}@" if user else ""
        return f"json://{auth}127.0.0.1:{self.port}{path}"

    # --- behaviour and what arrived ---

    def fail_with(self, status: int | None) -> None:
        """Answer every request with `status` (e.g. 500); None answers 200 again."""
        with self._lock:
            self._status = status

    def _answer(self, post: ReceivedPost) -> int:
        with self._lock:
            status = self._status or 200
            self._posts.append(ReceivedPost(post.path, post.json, post.headers, status))
            return status

    @property
    def posts(self) -> list[ReceivedPost]:
        """Every POST received, including the ones answered with an error status."""
        with self._lock:
            return list(self._posts)

    def accepted(self, path: str | None = None) -> list[ReceivedPost]:
        """The POSTs answered with 200 (to `path`, if given)."""
        return [p for p in self.posts if p.status == 200 and (path is None or p.path == path)]


def _handler_for(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            post = ReceivedPost(self.path, _json(body), dict(self.headers.items()))
            status = receiver._answer(post)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - keep test output quiet
            pass

    return Handler


def _json(body: bytes) -> dict:
    try:
        value = json.loads(body.decode("utf-8")) if body else {}
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {"_raw": body.decode("utf-8", "replace")}
    return value if isinstance(value, dict) else {"_value": value}
