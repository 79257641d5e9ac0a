"""`kommunvakt db upgrade`: bring the database to the newest schema."""

from __future__ import annotations

import argparse

from monitor.app.service import open_service
from monitor.commands.output import say
from monitor.config import Config
from monitor.logs import mask_secrets


def register(sub) -> None:
    p = sub.add_parser("db", help="database maintenance")
    p.add_argument("action", choices=("upgrade",))
    p.set_defaults(handler=db)


def db(config: Config, args: argparse.Namespace) -> int:
    open_service(config).close()
    say(f"database is at the newest schema: {mask_secrets(config.database_url)}")
    return 0
