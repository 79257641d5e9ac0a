"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message it receives.

    sink = SmtpSink().start()
    sink.url()                 # mailto://127.0.0.1:<port>?from=kommunvakt@example.org&to=news@example.org
    sink.messages              # [ReceivedMail(...)], in arrival order
    sink.wait_for(1)           # block (briefly) until that many messages arrived
    sink.stop(); sink.start()  # an outage: the port refuses connections, then the same port works again
    sink.stop()

Also a context manager and, in tests, the ``smtp_sink`` fixture of tests/alerts/conftest.py.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

SENDER = "kommunvakt@example.org"
RECIPIENT = "news@example.org"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.raw, policy=policy.default)

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    def part(self, subtype: str) -> str:
        """The decoded text/<subtype> part ('plain' or 'html'), or '' when the mail has none."""
        for part in self.message.walk():
            if part.get_content_type() == f"text/{subtype}":
                return part.get_content()
        return ""

    @property
    def text(self) -> str:
        return self.part("plain")

    @property
    def html(self) -> str:
        return self.part("html")


class _Collector:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.sink._receive(ReceivedMail(envelope.mail_from, tuple(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self._messages: list[ReceivedMail] = []
        self._arrived = threading.Condition()
        self._controller: Controller | None = None

    # --- lifecycle ---

    def start(self) -> SmtpSink:
        """Listen on the sink's port (the same one after a stop)."""
        if self._controller is None:
            self._controller = Controller(_Collector(self), hostname="127.0.0.1", port=self.port, ready_timeout=10)
            self._controller.start()
        return self

    def stop(self) -> None:
        """Stop listening; connections to the port are refused until start() is called again."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()

    # --- what arrived ---

    def url(self, to: str = RECIPIENT, sender: str = SENDER, extra: str = "") -> str:
        """An apprise mailto:// URL that delivers here (`extra` is appended to the query, e.g. 'format=text')."""
        query = f"from={sender}&to={to}" + (f"&{extra}" if extra else "")
        return f"mailto://127.0.0.1:{self.port}?{query}"

    def _receive(self, mail: ReceivedMail) -> None:
        with self._arrived:
            self._messages.append(mail)
            self._arrived.notify_all()

    @property
    def messages(self) -> list[ReceivedMail]:
        with self._arrived:
            return list(self._messages)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedMail]:
        """The messages once at least `count` arrived (apprise returns after the server accepted them)."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self._messages) >= count, timeout)
            return list(self._messages)

    def clear(self) -> None:
        with self._arrived:
            self._messages.clear()
