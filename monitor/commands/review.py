"""`kommunvakt review`: what waits for a person.

Stance changes held for review (below their stance's review threshold; a weak acceptance is always held)
and stance candidates (sentences the analysis could not attribute with confidence). Approve a held change
to alert it, or a candidate to record its stance (then a resulting change is alerted); or reject either.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import asdict

from monitor.analysis.change import ChangeDecision, ChangeKind
from monitor.analysis.stance import review_threshold
from monitor.app.analysis_stage import announce
from monitor.app.review_actions import StanceNeeded, approve_candidate, reject_candidate
from monitor.app.rounds import dispatch
from monitor.app.service import Service, open_service
from monitor.commands.output import UsageError, say, say_json
from monitor.config import Config
from monitor.domain import ReviewCandidate, Stance
from storage import candidates as review_candidates
from storage import review as reviews
from storage import status_views
from storage.repository import observation
from storage.status_views import ChangeRow

_STANCES = [s.value for s in Stance if s is not Stance.UNKNOWN]


def register(sub) -> None:
    p = sub.add_parser("review", help="held stance changes and stance candidates that wait for a person")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--approve", type=int, metavar="ID", help="approve a held change: it is alerted")
    group.add_argument("--reject", type=int, metavar="ID", help="reject a held change")
    group.add_argument("--approve-candidate", type=int, metavar="ID",
                       help="approve a stance candidate: its stance is recorded, and a resulting change alerted")
    group.add_argument("--reject-candidate", type=int, metavar="ID", help="reject a stance candidate")
    p.add_argument("--stance", choices=_STANCES,
                   help="with --approve-candidate: the stance the sentence states (required when it suggests none)")
    p.add_argument("--json", action="store_true", help="one JSON object a line; `kind` says held_change or candidate")
    p.set_defaults(handler=review)


def review(config: Config, args: argparse.Namespace) -> int:
    if args.stance and args.approve_candidate is None:
        raise UsageError("--stance goes with --approve-candidate")
    service = open_service(config)
    try:
        if args.approve is not None:
            return _approve(service, args.approve)
        if args.reject is not None:
            return _reject(service, args.reject)
        if args.approve_candidate is not None:
            return _approve_candidate(service, args.approve_candidate, Stance(args.stance) if args.stance else None)
        if args.reject_candidate is not None:
            return _reject_candidate(service, args.reject_candidate)
        return _list(service, args.json)
    finally:
        service.close()


def _list(service: Service, as_json: bool) -> int:
    with service.database.transaction() as session:
        held = status_views.change_history(session, service.topic.name, status="held")
        pending = review_candidates.candidates(session, service.topic.name)
    thresholds = service.config.alerts.review_thresholds
    if as_json:
        for change in held:
            say_json({"kind": "held_change", **asdict(change), "reason": _held_reason(change, thresholds)})
        for candidate in pending:
            say_json({"kind": "candidate", **asdict(candidate)})
        return 0
    if not held and not pending:
        say("nothing waits for review")
        return 0
    if held:
        say(f"held stance changes ({len(held)}): approve with --approve ID, reject with --reject ID")
        for change in held:
            say(_held_text(change, _held_reason(change, thresholds)))
    if pending:
        say(f"stance candidates ({len(pending)}): approve with --approve-candidate ID [--stance S], "
            "reject with --reject-candidate ID")
        for candidate in pending:
            say(_candidate_text(candidate))
    return 0


def _held_reason(change: ChangeRow, thresholds: Mapping[Stance, float]) -> str:
    stance = Stance(change.new_stance)
    return f"confidence below the review threshold of {stance.value} ({review_threshold(stance, dict(thresholds))})"


def _held_text(change: ChangeRow, reason: str) -> str:
    return (f"#{change.id} {change.municipality} ({change.municipality_code}): {change.old_stance} -> "
            f"{change.new_stance}, confidence {change.confidence:.2f}; {reason}\n    \u00ab{change.evidence}\u00bb\n"
            f"    {_document(change.document_title, change.document_url)}")


def _candidate_text(candidate: ReviewCandidate) -> str:
    suggested = candidate.stance.value if candidate.stance else "no stance suggested"
    return (f"candidate #{candidate.id} {candidate.municipality} ({candidate.municipality_code}): {suggested}, "
            f"confidence {candidate.confidence:.2f}, {candidate.authority.value}; {candidate.reason}\n"
            f"    \u00ab{candidate.evidence}\u00bb\n    {_document(candidate.document_title, candidate.document_url)}")


def _document(title: str, url: str) -> str:
    return f"{title} <{url}>" if title else url


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


def _approve_candidate(service: Service, candidate_id: int, stance: Stance | None) -> int:
    context = service.context()
    try:
        with service.database.transaction() as session:
            approval = approve_candidate(session, context, candidate_id, stance)
    except (review_candidates.NotPending, StanceNeeded) as exc:
        raise UsageError(str(exc)) from None
    where = f"{approval.candidate.municipality} ({approval.candidate.municipality_code})"
    decision = approval.decision
    if decision is None:
        say(f"approved candidate #{candidate_id}: {where} {approval.stance.value}; the stance table did not change")
    else:
        say(f"approved candidate #{candidate_id}: {where} {decision.old.value} -> {decision.new.value} "
            f"({decision.kind.value}); {approval.alerts} alerts queued")
    dispatch(service, "review")
    return 0


def _reject_candidate(service: Service, candidate_id: int) -> int:
    context = service.context()
    try:
        with service.database.transaction() as session:
            reject_candidate(session, context, candidate_id)
    except review_candidates.NotPending as exc:
        raise UsageError(str(exc)) from None
    say(f"rejected candidate #{candidate_id}")
    return 0
