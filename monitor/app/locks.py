"""Who holds a source's crawl lock (or claims alerts), named so `status` can show it, and whether it still lives."""

from __future__ import annotations

import os
import re
import socket


def holder_name(role: str) -> str:
    """Who holds a lock: readable in `status` ("crawl pid 4242 on host")."""
    return f"{role} pid {os.getpid()} on {socket.gethostname()}"


def holder_alive(holder: str) -> bool:
    """False only when the holder ran on this host and its process is gone; other hosts: assume alive."""
    match = re.fullmatch(r"\S+ pid (\d+) on (.+)", holder)
    if match is None or match.group(2) != socket.gethostname():
        return True
    try:
        os.kill(int(match.group(1)), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
