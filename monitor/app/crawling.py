"""Running crawls as child processes (`python -m crawler.run`): one source, or a batch of them.

The parent never imports Scrapy: Twisted's reactor cannot be restarted in one
process, and a child also isolates memory growth and hung sites.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date

from monitor.app.clock import utcnow
from monitor.app.locks import holder_alive
from monitor.config import Config
from monitor.domain import SourceConfig
from storage import repository as repo
from storage.db import Database

ProgressCallback = Callable[[dict], None]
FinishedCallback = Callable[["CrawlOutcome"], None]  # a source's run was recorded (as each one ends)
MAX_BATCH = 25  # sources per crawl child in `crawl --all`: start-up paid once per batch, not per source


@dataclass(frozen=True)
class CrawlOutcome:
    source_key: str
    ok: bool
    outcome: str  # ok | failed | killed | crashed | locked
    documents_seen: int = 0
    documents_new: int = 0
    errors: tuple[str, ...] = field(default_factory=tuple)


class ChildProcesses:
    """The crawl children running now, so a shutdown can end them after its grace period."""

    def __init__(self, die_with_parent: bool = False) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen] = set()
        self.die_with_parent = die_with_parent  # a worker node's children: killed by the kernel when it dies

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
                 children: ChildProcesses | None = None, since: date | None = None,
                 on_finished: FinishedCallback | None = None) -> CrawlOutcome:
    """Crawl one source now: take its lock, run the child, record the run.  Raises SourceLocked."""
    run = Run(source, _open_run(database, config, source, holder))
    return _crawl_runs(database, config, [run], on_progress, children, since, on_finished)[0]


def crawl_batch(database: Database, config: Config, sources: Sequence[SourceConfig], holder: str,
                on_progress: ProgressCallback | None = None,
                children: ChildProcesses | None = None, since: date | None = None,
                on_finished: FinishedCallback | None = None,
                lease_s: int | None = None) -> list[CrawlOutcome]:
    """Crawl sources in one child (start-up paid once, see crawler.sequence); a locked source is skipped.
    `lease_s`: how long the source locks hold unless renewed (a worker renews them; default: the time limit)."""
    runs, locked = [], []
    for source in sources:
        try:
            runs.append(Run(source, _open_run(database, config, source, holder, lease_s)))
        except repo.SourceLocked as exc:
            locked.append(CrawlOutcome(source.key, False, "locked", errors=(str(exc),)))
    crawled = _crawl_runs(database, config, runs, on_progress, children, since, on_finished) if runs else []
    return crawled + locked


def crawl_sources(database: Database, config: Config, sources: Sequence[SourceConfig], holder: str,
                  workers: int, on_progress: ProgressCallback | None = None,
                  children: ChildProcesses | None = None, since: date | None = None,
                  on_finished: FinishedCallback | None = None) -> list[CrawlOutcome]:
    """Crawl many sources, `workers` children at a time, each child a batch of them (see `batches`)."""
    def one(batch: list[SourceConfig]) -> list[CrawlOutcome]:
        return crawl_batch(database, config, batch, holder, on_progress, children, since, on_finished)

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="crawl") as pool:
        return [outcome for outcomes in pool.map(one, batches(sources, workers)) for outcome in outcomes]


def batches(sources: Sequence[SourceConfig], workers: int, most: int = MAX_BATCH) -> list[list[SourceConfig]]:
    """Sources in batches of at most `most`, at least four per worker so a slow batch holds up little."""
    size = max(1, min(most, math.ceil(len(sources) / (max(1, workers) * 4))))
    return [list(sources[i:i + size]) for i in range(0, len(sources), size)]


@dataclass(frozen=True)
class Run:
    source: SourceConfig
    run_id: int


def _open_run(database: Database, config: Config, source: SourceConfig, holder: str,
              lease_s: int | None = None) -> int:
    with database.transaction() as session:
        return repo.start_run(session, source.key, holder, utcnow(), stale_after_s=lease_s or _lock_ttl(config),
                              holder_alive=holder_alive)


def _crawl_runs(database: Database, config: Config, runs: list[Run], on_progress: ProgressCallback | None,
                children: ChildProcesses | None, since: date | None,
                on_finished: FinishedCallback | None = None) -> list[CrawlOutcome]:
    """Run one child for the runs; record each run as its summary arrives, the rest when the child ends."""
    recorded: dict[str, CrawlOutcome] = {}
    by_key = {run.source.key: run for run in runs}

    def record(run: Run, summary: dict, outcome: str) -> None:
        recorded[run.source.key] = _finish(database, run, summary, outcome)
        if on_finished is not None:
            on_finished(recorded[run.source.key])

    def on_summary(summary: dict) -> None:
        run = by_key.get(summary.get("source", ""))
        if run is not None and run.source.key not in recorded:
            record(run, summary, "ok" if summary.get("ok") else "failed")

    if children is None:  # not `children or ...`: an empty ChildProcesses is falsy
        children = ChildProcesses()
    child = _Child(child_command(config, runs, since), config.crawl.timeout_seconds)
    code, stderr = child.run(on_progress or (lambda _event: None), children, on_summary)
    for run in runs:
        if run.source.key not in recorded:
            summary, outcome = _judge_missing(code, stderr, config.crawl.timeout_seconds, child.killed_by_timer)
            record(run, {"source": run.source.key, **summary}, outcome)
    return [recorded[run.source.key] for run in runs]


def _finish(database: Database, run: Run, summary: dict, outcome: str) -> CrawlOutcome:
    errors = tuple(summary.get("errors", ()))
    ok = outcome == "ok"
    with database.transaction() as session:
        repo.finish_run(session, run.run_id, ok=ok, error="; ".join(errors)[:2000] or None, now=utcnow(),
                        outcome=outcome, warnings=tuple(summary.get("warnings", ())))
    return CrawlOutcome(run.source.key, ok, outcome, summary.get("documents_seen", 0),
                        summary.get("documents_new", 0), errors)


def _lock_ttl(config: Config) -> int:
    return config.crawl.timeout_seconds + 300


def child_command(config: Config, runs: Sequence[Run], since: date | None = None) -> list[str]:
    # -P: the working directory is not put on sys.path, so a `crawler/` folder where the user stands
    # never shadows the installed package
    command = [sys.executable, "-P", "-m", "crawler.run"]
    for run in runs:
        command += ["--source", run.source.key, "--run-id", str(run.run_id)]
    if config.path is not None:
        command += ["--config", str(config.path)]
    if since is not None:
        command += ["--since", since.isoformat()]
    return command


class _Child:
    """One `crawler.run` process: its events read as they come, killed when a source takes too long.

    The time limit is per source: the watchdog starts again at every summary, so a batch of many sources
    is not killed for being a batch, and a hung source is killed `timeout_s` after the last one ended.
    """

    def __init__(self, command: list[str], timeout_s: int):
        self.command = command
        self.timeout_s = timeout_s
        self.killed_by_timer = False
        self._timer: threading.Timer | None = None

    def run(self, on_progress: ProgressCallback, children: ChildProcesses,
            on_summary: Callable[[dict], None]) -> tuple[int, str]:
        stderr_file = tempfile.TemporaryFile(mode="w+")  # a file, so a chatty child never blocks on a full pipe
        process = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=stderr_file, text=True,
                                   start_new_session=True, env=dict(os.environ),
                                   preexec_fn=_die_with_parent if children.die_with_parent else None)
        children.add(process)
        self._rearm(process)
        try:
            for event in _events(process):
                if event.get("event") == "summary":
                    on_summary(event)
                    self._rearm(process)
                else:
                    on_progress(event)
            code = process.wait()
            stderr_file.seek(0)
            return code, stderr_file.read()
        finally:
            if self._timer is not None:
                self._timer.cancel()
            children.discard(process)
            stderr_file.close()

    def _rearm(self, process: subprocess.Popen) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(self.timeout_s, self._expire, args=(process,))
        self._timer.daemon = True
        self._timer.start()

    def _expire(self, process: subprocess.Popen) -> None:
        self.killed_by_timer = True
        _kill_group(process)


def _die_with_parent() -> None:
    """In the child before exec (Linux): SIGKILL when the thread that started it ends, so a crawl never
    outlives its worker node and writes on after the node's source locks were taken over."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _events(process: subprocess.Popen) -> Iterator[dict]:
    assert process.stdout is not None
    for line in process.stdout:
        event = _parse_event(line)
        if event is not None:
            yield event


def _parse_event(line: str) -> dict | None:
    line = line.strip()
    if not line.startswith("{"):
        return None
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return None


def _judge_missing(code: int, stderr: str, timeout_s: int, timed_out: bool) -> tuple[dict, str]:
    """A source the child never summarised: it was killed (time limit, shutdown) or the child crashed."""
    if code in (-signal.SIGKILL, 128 + signal.SIGKILL) or timed_out:
        return {"errors": [f"crawl was killed (time limit {timeout_s} s, or the daemon stopped)"]}, "killed"
    tail = stderr.strip().splitlines()[-1:] or [f"exit code {code}"]
    return {"errors": [f"crawl process crashed: {tail[0]}"]}, "crashed"
