"""`kommunvakt municipalities`: the shipped registry of the 290 municipalities."""

from __future__ import annotations

import argparse

from monitor.commands.output import say, say_json
from monitor.config import Config
from monitor.municipalities import Registry


def register(sub) -> None:
    p = sub.add_parser("municipalities", help="the 290 municipalities: code, name, county, website")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=municipalities, needs_database=False)


def municipalities(config: Config, args: argparse.Namespace) -> int:
    for m in Registry.load():
        if args.json:
            say_json({"code": m.code, "name": m.name, "county": m.county, "website": m.website})
        else:
            say(f"{m.code}  {m.name:<20} {m.county:<24} {m.website}")
    return 0
