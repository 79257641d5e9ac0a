"""`kommunvakt run`: the daemon (monitor.app.daemon)."""

from __future__ import annotations

import argparse

from monitor.app.daemon import run_daemon
from monitor.config import Config


def register(sub) -> None:
    p = sub.add_parser("run", help="run the daemon: scheduled crawls, analysis and alerts")
    p.set_defaults(handler=run)


def run(config: Config, args: argparse.Namespace) -> int:
    return run_daemon(config)
