"""`kommunvakt serve` as a real process on a free loopback port (`--port 0`), for the HTTP and browser tests."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def served(config_path: Path, *extra: str) -> Iterator[str]:
    """Yields the site's base URL ("http://127.0.0.1:PORT/"); the server is stopped afterwards."""
    process = subprocess.Popen([sys.executable, "-m", "monitor.cli", "--config", str(config_path), "serve",
                                "--port", "0", *extra], cwd=config_path.parent, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"at (http://[\d.]+:\d+/)", line)
        assert match, f"serve did not start: {line!r} {process.stderr.read() if process.poll() is not None else ''}"
        yield match.group(1)
    finally:
        process.terminate()
        process.wait(timeout=10)
