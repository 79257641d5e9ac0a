"""`kommunvakt alerts ...` and `kommunvakt review`."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from alerts.dispatch import check_target, dispatch_due, mask_url
from monitor.commands import UsageError, _print
from monitor.config import Config
from monitor.pipeline import announce
from monitor.service import Service, holder_name, open_service, utcnow
from monitor.stances import ChangeDecision, ChangeKind
from storage import outbox
from storage import review as reviews
from storage import status as status_queries
from storage.repository import observation


def handle(config: Config, args: argparse.Namespace) -> int:
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
        _print(f"{target.name} ({mask_url(target.url)}): {verdict}")
        failures += int(not delivery.ok)
    return 1 if failures else 0


def _list(service: Service, args: argparse.Namespace) -> int:
    status = outbox.AlertStatus(args.status) if args.status else None
    with service.database.transaction() as session:
        records = outbox.list_alerts(session, status=status)
    for record in records:
        if args.json:
            _print(json.dumps(asdict(record), ensure_ascii=False, default=str))
        else:
            _print(f"#{record.id:<5} {record.status.value:<8} {record.event_type.value:<14} {record.target:<14} "
                   f"attempts {record.total_attempts:<2} {record.title}"
                   + (f"  error: {record.last_error}" if record.last_error else ""))
    return 0


def _dispatch(service: Service, args: argparse.Namespace) -> int:
    report = dispatch_due(service.database, service.config.alerts.targets, utcnow(), holder_name("dispatch"),
                          service.config.alerts.max_attempts)
    _print(f"{report.attempted} alerts attempted: {report.sent} sent, {report.waiting} waiting for a retry, "
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
    _print(f"{count} alerts are due now; `kommunvakt alerts dispatch` (or the daemon) delivers them")
    return 0


def review(config: Config, args: argparse.Namespace) -> int:
    service = open_service(config)
    try:
        if args.approve is not None:
            return _approve(service, args.approve)
        if args.reject is not None:
            return _reject(service, args.reject)
        return _list_held(service, args.json)
    finally:
        service.close()


def _list_held(service: Service, as_json: bool) -> int:
    with service.database.transaction() as session:
        held = status_queries.change_history(session, service.topic.name, status="held")
    for change in held:
        if as_json:
            _print(json.dumps(asdict(change), ensure_ascii=False, default=str))
        else:
            _print(f"#{change.id} {change.municipality} ({change.municipality_code}): {change.old_stance} -> "
                   f"{change.new_stance}, confidence {change.confidence:.2f}\n    \u00ab{change.evidence}\u00bb\n"
                   f"    {change.document_url}")
    if not held and not as_json:
        _print("no stance changes wait for review")
    return 0


def _approve(service: Service, change_id: int) -> int:
    context = service.context()
    try:
        with service.database.transaction() as session:
            old, new, observation_id = reviews.approve(session, change_id, context.now)
            decision = ChangeDecision(old, new, observation(session, observation_id), ChangeKind.ANNOUNCE)
            alerts = announce(session, context, change_id, decision)
    except reviews.NotHeld as exc:
        raise UsageError(str(exc)) from None
    _print(f"approved #{change_id}: {old.value} -> {new.value}; {alerts} alerts queued")
    dispatch_due(service.database, service.config.alerts.targets, utcnow(), holder_name("review"),
                 service.config.alerts.max_attempts)
    return 0


def _reject(service: Service, change_id: int) -> int:
    try:
        with service.database.transaction() as session:
            reviews.reject(session, change_id)
    except reviews.NotHeld as exc:
        raise UsageError(str(exc)) from None
    _print(f"rejected #{change_id}")
    return 0
