"""`kommunvakt alerts test | list | dispatch | retry`."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from alerts.dispatch import check_target, mask_url
from monitor.app.clock import utcnow
from monitor.app.rounds import dispatch
from monitor.app.service import Service, open_service
from monitor.commands.output import UsageError, say, say_json
from monitor.config import Config
from monitor.domain import AlertStatus
from storage import outbox


def register(sub) -> None:
    p = sub.add_parser("alerts", help="alert delivery: test, list, dispatch, retry")
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p))
    test = actions.add_parser("test", help="send a test message through each target")
    test.add_argument("--target", help="only this target (by name)")
    listing = actions.add_parser("list", help="alerts with their status and attempts")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--status", choices=("pending", "sending", "sent", "failed"))
    actions.add_parser("dispatch", help="deliver what is due now")
    retry = actions.add_parser("retry", help="make failed or waiting alerts due now")
    retry.add_argument("id", nargs="?", type=int)
    retry.add_argument("--all", action="store_true")
    p.set_defaults(handler=alerts)


def alerts(config: Config, args: argparse.Namespace) -> int:
    if args.action == "test":
        return _test(config, args.target)
    service = open_service(config)
    try:
        return {"list": _list, "dispatch": _dispatch, "retry": _retry}[args.action](service, args)
    finally:
        service.close()


def _test(config: Config, only: str | None) -> int:
    targets = [t for t in config.alerts.targets if only is None or t.name == only]
    if not targets:
        raise UsageError(f"no alert target named {only!r}" if only else "no alert targets are configured")
    failures = 0
    for target in targets:
        delivery = check_target(target, utcnow())
        verdict = "delivered" if delivery.ok else f"NOT delivered: {delivery.error or 'apprise reported a failure'}"
        say(f"{target.name} ({mask_url(target.url)}): {verdict}")
        failures += int(not delivery.ok)
    return 1 if failures else 0


def _list(service: Service, args: argparse.Namespace) -> int:
    status = AlertStatus(args.status) if args.status else None
    with service.database.transaction() as session:
        records = outbox.list_alerts(session, status=status)
    for record in records:
        if args.json:
            say_json(asdict(record))
        else:
            say(f"#{record.id:<5} {record.status.value:<8} {record.event_type.value:<14} {record.target:<14} "
                f"attempts {record.total_attempts:<2} {record.title}"
                + (f"  error: {record.last_error}" if record.last_error else ""))
    return 0


def _dispatch(service: Service, args: argparse.Namespace) -> int:
    report = dispatch(service, "dispatch")
    say(f"{report.attempted} alerts attempted: {report.sent} sent, {report.waiting} waiting for a retry, "
        f"{report.failed} failed")
    return 0 if report.sent == report.attempted else 1


def _retry(service: Service, args: argparse.Namespace) -> int:
    if (args.id is None) == (not args.all):
        raise UsageError("give an alert ID or --all")
    try:
        with service.database.transaction() as session:
            count = outbox.retry(session, utcnow(), None if args.all else args.id)
    except outbox.UnknownAlert as exc:
        raise UsageError(str(exc)) from None
    say(f"{count} alerts are due now; `kommunvakt alerts dispatch` (or the daemon) delivers them")
    return 0
