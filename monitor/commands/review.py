"""`kommunvakt review`: stance changes held for review (low confidence); approve one to alert it, or reject it."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from monitor.analysis.change import ChangeDecision, ChangeKind
from monitor.app.analysis_stage import announce
from monitor.app.rounds import dispatch
from monitor.app.service import Service, open_service
from monitor.commands.output import UsageError, say, say_json
from monitor.config import Config
from storage import review as reviews
from storage import status_views
from storage.repository import observation


def register(sub) -> None:
    p = sub.add_parser("review", help="stance changes held for review (low confidence)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--approve", type=int, metavar="ID", help="approve a held change: it is alerted")
    group.add_argument("--reject", type=int, metavar="ID", help="reject a held change")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=review)


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
        held = status_views.change_history(session, service.topic.name, status="held")
    for change in held:
        if as_json:
            say_json(asdict(change))
        else:
            say(f"#{change.id} {change.municipality} ({change.municipality_code}): {change.old_stance} -> "
                f"{change.new_stance}, confidence {change.confidence:.2f}\n    \u00ab{change.evidence}\u00bb\n"
                f"    {change.document_url}")
    if not held and not as_json:
        say("no stance changes wait for review")
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
    say(f"approved #{change_id}: {old.value} -> {new.value}; {alerts} alerts queued")
    dispatch(service, "review")
    return 0


def _reject(service: Service, change_id: int) -> int:
    try:
        with service.database.transaction() as session:
            reviews.reject(session, change_id)
    except reviews.NotHeld as exc:
        raise UsageError(str(exc)) from None
    say(f"rejected #{change_id}")
    return 0
