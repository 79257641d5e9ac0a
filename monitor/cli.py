"""The `kommunvakt` command: the composition root for everything a user touches."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from monitor import commands, worker_command
from monitor.config import ConfigError, load_config
from monitor.logs import setup_logging
from monitor.municipalities import UnknownMunicipality
from storage.db import StorageError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
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
    for add in (_add_run, _add_crawl, _add_reread, _add_analyze, _add_status, _add_history, _add_export, _add_db,
                _add_municipalities, _add_alerts, _add_review, worker_command.add_worker_parser):
        add(sub)
    for command in sub.choices.values():  # `kommunvakt run --log-format json` works as well
        command.add_argument("--log-format", choices=("text", "json"), default=argparse.SUPPRESS)
    return parser


def _add_run(sub) -> None:
    p = sub.add_parser("run", help="run the daemon: scheduled crawls, analysis and alerts")
    p.set_defaults(handler=commands.run)


def _add_crawl(sub) -> None:
    p = sub.add_parser("crawl", help="crawl now, then analyse and alert as the daemon would")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--municipality", help="name (any case, with or without å/ä/ö) or kommunkod")
    which.add_argument("--all", action="store_true", help="every enabled source")
    which.add_argument("--press", action="store_true", help="the press sources")
    which.add_argument("--source", help="one source by its name")
    p.add_argument("--no-alerts", action="store_true", help="record stances without alerting (backfill)")
    p.add_argument("--since", help="backfill: with --no-alerts, fill history from this date (YYYY-MM-DD)")
    p.add_argument("--wait", action="store_true", help="wait for a crawl of the same source that is running")
    p.set_defaults(handler=commands.crawl)


def _add_reread(sub) -> None:
    p = sub.add_parser("reread", help="read documents waiting for OCR or quarantined again, from their stored "
                                      "bytes (after installing Tesseract or upgrading), then analyse")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--municipality", help="only this municipality's sources")
    which.add_argument("--source", help="only this source")
    p.set_defaults(handler=commands.reread)


def _add_analyze(sub) -> None:
    p = sub.add_parser("analyze", help="analyse local files (PDF, HTML, text) and print what was found")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--municipality", help="whose document it is (read as that municipality's protocol)")
    p.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    p.set_defaults(handler=commands.analyze, needs_database=False)


def _add_status(sub) -> None:
    p = sub.add_parser("status", help="the stance table and sources that cannot be read")
    p.add_argument("--json", action="store_true")
    p.add_argument("--sources", action="store_true", help="every source's health")
    worker_command.add_status_workers_flag(p)
    p.set_defaults(handler=commands.status)


def _add_history(sub) -> None:
    p = sub.add_parser("history", help="stance changes with their evidence")
    p.add_argument("--municipality")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=commands.history)


def _add_export(sub) -> None:
    p = sub.add_parser("export", help="the stance table as CSV or JSON")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.set_defaults(handler=commands.export)


def _add_db(sub) -> None:
    p = sub.add_parser("db", help="database maintenance")
    p.add_argument("action", choices=("upgrade",))
    p.set_defaults(handler=commands.db)


def _add_municipalities(sub) -> None:
    p = sub.add_parser("municipalities", help="the 290 municipalities: code, name, county, website")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=commands.municipalities, needs_database=False)


def _add_alerts(sub) -> None:
    p = sub.add_parser("alerts", help="alert delivery: test, list, dispatch, retry")
    actions = p.add_subparsers(dest="action", required=True, parser_class=_Parser)
    test = actions.add_parser("test", help="send a test message through each target")
    test.add_argument("--target", help="only this target (by name)")
    listing = actions.add_parser("list", help="alerts with their status and attempts")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--status", choices=("pending", "sending", "sent", "failed"))
    actions.add_parser("dispatch", help="deliver what is due now")
    retry = actions.add_parser("retry", help="make failed or waiting alerts due now")
    retry.add_argument("id", nargs="?", type=int)
    retry.add_argument("--all", action="store_true")
    p.set_defaults(handler=commands.alerts)


def _add_review(sub) -> None:
    p = sub.add_parser("review", help="stance changes held for review (low confidence)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--approve", type=int, metavar="ID", help="approve a held change: it is alerted")
    group.add_argument("--reject", type=int, metavar="ID", help="reject a held change")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=commands.review)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(args.log_format, logging.DEBUG if args.verbose else logging.INFO)
    handler: Callable[..., int] = args.handler
    try:
        config = load_config(args.config)
        return handler(config, args)
    except (ConfigError, UnknownMunicipality, commands.UsageError, worker_command.NoWorkers) as exc:
        print(f"kommunvakt: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StorageError as exc:
        print(f"kommunvakt: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
