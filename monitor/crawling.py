"""Running one source's crawl as a child process (`python -m crawler.run`).

The parent never imports Scrapy: Twisted's reactor cannot be restarted in one
process, and a child also isolates memory growth and hung sites.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from monitor.config import Config
from monitor.domain import SourceConfig
from storage import repository as repo
from storage.db import Database

ProgressCallback = Callable[[dict], None]


@dataclass(frozen=True)
class CrawlOutcome:
    source_key: str
    ok: bool
    outcome: str  # ok | failed | killed | crashed | locked
    documents_seen: int = 0
    documents_new: int = 0
    errors: tuple[str, ...] = field(default_factory=tuple)


def utcnow() -> datetime:
    return datetime.now(UTC)


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


class ChildProcesses:
    """The crawl children running now, so a shutdown can end them after its grace period."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen] = set()

    def add(self, process: subprocess.Popen) -> None:
        with self._lock:
            self._running.add(process)

    def discard(self, process: subprocess.Popen) -> None:
        with self._lock:
            self._running.discard(process)

    def __len__(self) -> int:
        return len(self._running)

    def kill_all(self) -> None:
        with self._lock:
            running = list(self._running)
        for process in running:
            _kill_group(process)


def crawl_source(database: Database, config: Config, source: SourceConfig, holder: str,
                 on_progress: ProgressCallback | None = None,
                 children: ChildProcesses | None = None, since: date | None = None) -> CrawlOutcome:
    """Crawl one source now: take its lock, run the child, record the run.  Raises SourceLocked."""
    with database.transaction() as session:
        run_id = repo.start_run(session, source.key, holder, utcnow(), stale_after_s=_lock_ttl(config),
                                holder_alive=holder_alive)
    summary, outcome = _run_child(child_command(config, source, run_id, since), config,
                                  on_progress or (lambda _event: None), children or ChildProcesses())
    errors = tuple(summary.get("errors", ()))
    ok = outcome == "ok"
    with database.transaction() as session:
        repo.finish_run(session, run_id, ok=ok, error="; ".join(errors)[:2000] or None, now=utcnow(),
                        outcome=outcome, warnings=tuple(summary.get("warnings", ())))
    return CrawlOutcome(source.key, ok, outcome, summary.get("documents_seen", 0),
                        summary.get("documents_new", 0), errors)


def _lock_ttl(config: Config) -> int:
    return config.crawl.timeout_seconds + 300


def child_command(config: Config, source: SourceConfig, run_id: int, since: date | None = None) -> list[str]:
    command = [sys.executable, "-m", "crawler.run", "--source", source.key, "--run-id", str(run_id)]
    if config.path is not None:
        command += ["--config", str(config.path)]
    if since is not None:
        command += ["--since", since.isoformat()]
    return command


def _run_child(command: list[str], config: Config, on_progress: ProgressCallback,
               children: ChildProcesses) -> tuple[dict, str]:
    stderr_file = tempfile.TemporaryFile(mode="w+")  # a file, so a chatty child never blocks on a full pipe
    process = subprocess.Popen(command, stdout=subprocess.PIPE,
                               stderr=stderr_file, text=True, start_new_session=True, env=dict(os.environ))
    children.add(process)
    timer = threading.Timer(config.crawl.timeout_seconds, _kill_group, args=(process,))
    timer.start()
    try:
        summary = _read_events(process, on_progress)
        code = process.wait()
        stderr_file.seek(0)
        stderr = stderr_file.read()
    finally:
        timer.cancel()
        children.discard(process)
        stderr_file.close()
    return _judge(summary, code, stderr, config.crawl.timeout_seconds)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _read_events(process: subprocess.Popen, on_progress: ProgressCallback) -> dict:
    summary: dict = {}
    assert process.stdout is not None
    for line in process.stdout:
        event = _parse_event(line)
        if event is None:
            continue
        if event.get("event") == "summary":
            summary = event
        else:
            on_progress(event)
    return summary


def _parse_event(line: str) -> dict | None:
    line = line.strip()
    if not line.startswith("{"):
        return None
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return None


def _judge(summary: dict, code: int, stderr: str, timeout_s: int) -> tuple[dict, str]:
    if code in (-signal.SIGKILL, 128 + signal.SIGKILL) and not summary:
        return {"errors": [f"crawl was killed (time limit {timeout_s} s, or the daemon stopped)"]}, "killed"
    if not summary:
        tail = stderr.strip().splitlines()[-1:] or [f"exit code {code}"]
        return {"errors": [f"crawl process crashed: {tail[0]}"]}, "crashed"
    return summary, "ok" if summary.get("ok") and code == 0 else "failed"
