"""Telling systemd how the daemon is (sd_notify): READY=1 once started, WATCHDOG=1 with each heartbeat.

The protocol is one datagram per message to the unix socket named in $NOTIFY_SOCKET (systemd sets it for
`Type=notify` units); without it every call is a no-op, so the daemon runs the same anywhere else.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Mapping

log = logging.getLogger("kommunvakt.systemd")


class Notifier:
    def __init__(self, environ: Mapping[str, str]):
        self.address = _address(environ.get("NOTIFY_SOCKET", ""))
        usec = environ.get("WATCHDOG_USEC", "")
        self.watchdog_s = int(usec) / 1_000_000 if usec.isdigit() and int(usec) > 0 else None

    def notify(self, message: str) -> bool:
        """Send one message (e.g. "READY=1"); False when there is no socket or it cannot be reached."""
        if self.address is None:
            return False
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.sendto(message.encode(), self.address)
            return True
        except OSError as exc:
            log.warning("cannot notify systemd at %s: %s", self.address, exc)
            return False

    def ping_every_s(self, heartbeat_every_s: int) -> float:
        """How often to ping: the heartbeat's rhythm, at least twice per watchdog period."""
        return min(heartbeat_every_s, self.watchdog_s / 2) if self.watchdog_s else heartbeat_every_s


def _address(name: str) -> str | None:
    if not name:
        return None
    return "\0" + name[1:] if name.startswith("@") else name  # "@name": an abstract socket
