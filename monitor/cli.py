"""The `kommunvakt` command: `main()` and the list of its commands (each in monitor/commands/)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from monitor.commands import (
    alerts,
    analyze,
    crawl,
    db,
    export,
    feeds,
    health,
    history,
    municipalities,
    publish,
    reread,
    review,
    run,
    serve,
    status,
    worker,
)
from monitor.commands.output import UsageError
from monitor.config import ConfigError, load_config
from monitor.logs import setup_logging
from monitor.municipalities import UnknownMunicipality
from storage.db import StorageError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# Every `kommunvakt` command: a module of monitor.commands with `register(subparsers)` (its parser, whose
# defaults name its handler) and the handler itself.  Help lists them in this order.
COMMANDS = (run, crawl, reread, analyze, status, history, export, publish, serve, feeds, health, worker, db,
            municipalities, alerts, review)
log = logging.getLogger("kommunvakt")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own exit code is 2 as well; keep the message plain
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"kommunvakt: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kommunvakt", description=(
        "Watches what Sweden's municipalities publish and what the press writes about them, and alerts "
        "when a municipality changes its stance on a topic (shipped topic: återvandring)."))
    parser.add_argument("--config", help="TOML config file (default: $KOMMUNVAKT_CONFIG, else ./kommunvakt.toml, "
                                         "else built-in defaults with SQLite in ./data)")
    parser.add_argument("--log-format", choices=("text", "json"), default="text")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS:
        command.register(sub)
    parser.add_argument("--version", action="version", version=f"kommunvakt {_version()}")
    _accept_after_commands(sub, "--log-format", choices=("text", "json"), default=argparse.SUPPRESS)
    _accept_after_commands(sub, "-v", "--verbose", action="store_true", default=argparse.SUPPRESS)
    return parser


def _accept_after_commands(sub: argparse._SubParsersAction, *names: str, **options) -> None:
    """`kommunvakt run --log-format json`, `kommunvakt alerts test --log-format json` work as well."""
    for command in sub.choices.values():
        command.add_argument(*names, **options)
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):  # second-level commands: `alerts test`
                _accept_after_commands(action, *names, **options)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kommunvakt")
    except PackageNotFoundError:
        return "unknown (not installed)"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(args.log_format, logging.DEBUG if args.verbose else logging.INFO)
    handler: Callable[..., int] = args.handler
    try:
        config = load_config(args.config)
        return handler(config, args)
    except (ConfigError, UnknownMunicipality, UsageError) as exc:
        print(f"kommunvakt: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StorageError as exc:
        print(f"kommunvakt: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
