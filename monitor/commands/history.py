"""`kommunvakt history`: every stance change with its evidence."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from monitor.app.service import open_service
from monitor.commands.output import say, say_json
from monitor.config import Config
from monitor.municipalities import Registry
from storage import status_views


def register(sub) -> None:
    p = sub.add_parser("history", help="stance changes with their evidence")
    p.add_argument("--municipality")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=history)


def history(config: Config, args: argparse.Namespace) -> int:
    code = Registry.load().resolve(args.municipality).code if args.municipality else None
    service = open_service(config)
    try:
        with service.database.transaction() as session:
            changes = status_views.change_history(session, service.topic.name, code)
    finally:
        service.close()
    for change in changes:
        if args.json:
            say_json(asdict(change))
        else:
            say(f"{change.created_at:%Y-%m-%d %H:%M} {change.municipality_code} {change.municipality}: "
                f"{change.old_stance} -> {change.new_stance} [{change.status}, {change.confidence:.2f}] "
                f"\u00ab{change.evidence[:160]}\u00bb {change.document_url}")
    return 0
