"""`kommunvakt export`: the stance table as CSV or JSON, to a file or standard output."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from monitor.app.service import open_service
from monitor.config import Config


def register(sub) -> None:
    p = sub.add_parser("export", help="the stance table of all 290 municipalities as CSV or JSON")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.set_defaults(handler=export)


def export(config: Config, args: argparse.Namespace) -> int:
    from monitor.app.site.publish import export_text

    service = open_service(config)
    try:
        text = export_text(service, args.format)  # the site's downloads: all 290 municipalities
    finally:
        service.close()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0

