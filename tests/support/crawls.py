"""Running `python -m crawler.run` as the parent does, and reading its JSON-lines output."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

CRAWL_TIMEOUT_S = 120


@dataclass(frozen=True)
class CrawlResult:
    exit_code: int
    events: list[dict]
    stderr: str

    @property
    def summary(self) -> dict:
        summaries = [e for e in self.events if e.get("event") == "summary"]
        assert len(summaries) == 1, f"expected exactly one summary, got {self.events}\n{self.stderr}"
        return summaries[0]

    @property
    def progress(self) -> list[dict]:
        return [e for e in self.events if e.get("event") == "progress"]

    @property
    def warnings(self) -> list[str]:
        return self.summary["warnings"]


def run_crawler(*args: str, cwd: Path, env: dict[str, str] | None = None) -> CrawlResult:
    process = subprocess.run([sys.executable, "-m", "crawler.run", *args], capture_output=True, text=True,
                             cwd=cwd, timeout=CRAWL_TIMEOUT_S, env=env)
    events = [json.loads(line) for line in process.stdout.splitlines() if line.startswith("{")]
    return CrawlResult(process.returncode, events, process.stderr)
