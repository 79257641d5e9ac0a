"""`kommunvakt feeds check URL_OR_FILE [--json]`: what the service would take from a feed.

An operator runs it before adding a feed to a press source: the entries with title, link, date and
outlet, or why the feed cannot be used.  Exit code 0 when the service would take at least one entry, 1 when
the feed cannot be fetched or read or gives nothing to follow, 2 for an argument that is neither an
http(s) URL nor a file.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from typing import Any

from monitor.config import Config


def register(sub: Any) -> None:
    """Register `feeds check` on the `kommunvakt` subcommands."""
    p = sub.add_parser("feeds", help="news feeds: check what the service would take from one")
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p))
    check = actions.add_parser("check", help="fetch (or read) a feed and show the entries the service would take")
    check.add_argument("location", metavar="URL_OR_FILE", help="the feed's http(s) URL, or a saved feed file")
    check.add_argument("--json", action="store_true", help="one JSON object")
    p.set_defaults(handler=feeds, needs_database=False)


def feeds(config: Config, args: argparse.Namespace) -> int:
    """Run the check in a child (`python -m crawler.feed_check`): its output and exit code are the command's."""
    command = [sys.executable, "-P", "-m", "crawler.feed_check", args.location]
    if args.config:
        command[4:4] = ["--config", args.config]
    if args.json:
        command.append("--json")
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    return done.returncode
