"""The one way tests run `kommunvakt`: as a process (`python -m monitor.cli`), or as the daemon."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import IO


def command(config: Path | str | None, *args: str) -> list[str]:
    """`kommunvakt [--config CONFIG] ARGS...` as this interpreter runs it."""
    return [sys.executable, "-m", "monitor.cli", *(["--config", str(config)] if config else []), *args]


def kommunvakt(config: Path | str | None, *args: str, timeout: float = 240, cwd: Path | None = None,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run one command to its end, in the config's directory unless `cwd` says otherwise."""
    return subprocess.run(command(config, *args), capture_output=True, text=True, timeout=timeout,
                          cwd=cwd or Path(config).parent, env=env)


def start_kommunvakt(config: Path, *args: str, stdout: int | IO = subprocess.PIPE) -> subprocess.Popen:
    """Start a long-running command (`run`, or a crawl to interrupt); output merged into `stdout`."""
    return subprocess.Popen(command(config, *args), cwd=Path(config).parent, stdout=stdout,
                            stderr=subprocess.STDOUT, text=True)


def status_json(config: Path, *flags: str) -> dict:
    result = kommunvakt(config, "status", "--json", *flags)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
