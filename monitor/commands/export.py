"""`kommunvakt export`: the stance table as CSV or JSON, to a file or standard output."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from dataclasses import asdict
from pathlib import Path

from monitor.app.service import open_service
from monitor.config import Config
from storage import status_views


def register(sub) -> None:
    p = sub.add_parser("export", help="the stance table as CSV or JSON")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.set_defaults(handler=export)


def export(config: Config, args: argparse.Namespace) -> int:
    service = open_service(config)
    try:
        with service.database.transaction() as session:
            rows = [asdict(r) for r in status_views.stance_table(session, service.topic.name)]
    finally:
        service.close()
    text = json.dumps(rows, ensure_ascii=False, default=str, indent=2) if args.format == "json" else _csv(rows)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    fields = list(rows[0]) if rows else ["municipality_code", "municipality", "stance"]
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
