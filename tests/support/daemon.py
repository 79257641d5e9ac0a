"""The daemon as a real process in tests: start it, wait for something, count its finished crawls."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

from tests.support.cli import start_kommunvakt


def start_daemon(config: Path) -> subprocess.Popen:
    return start_kommunvakt(config, "run")


def wait_for(predicate, timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def crawl_runs(config: Path) -> int:
    """Finished crawl runs in the SQLite database `write_daemon_config` puts next to the config."""
    return daemon_count(config.parent, "select count(*) from crawl_runs where outcome != 'running'")


def daemon_count(folder: Path, query: str) -> int:
    """One number from the daemon's SQLite database in `folder`/data; 0 while it does not exist yet."""
    path = folder / "data" / "kommunvakt.db"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(path) as db:
            return db.execute(query).fetchone()[0]
    except sqlite3.Error:  # the daemon is still creating the schema
        return 0
