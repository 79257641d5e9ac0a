"""What every command shares: how it prints, and the error that means "bad request" (exit code 2)."""

from __future__ import annotations

import json

from monitor.app.analysis_stage import AnalysisReport
from monitor.app.rounds import RoundReport


class UsageError(ValueError):
    """A command was given something it cannot use (exit code 2)."""


def say(text: str = "") -> None:
    print(text, flush=True)


def say_json(entry: object) -> None:
    say(json.dumps(entry, ensure_ascii=False, default=str))


def print_analysis(report: AnalysisReport) -> None:
    say(f"analysed {report.documents} documents: {report.mentions} new mentions, "
        f"{report.observations} stance observations, {len(report.changes)} changes, {report.alerts} alerts"
        + _waiting_for_review(report))
    for change in report.changes:
        obs = change.observation
        say(f"  {obs.municipality_code}: {change.old.value} -> {change.new.value} ({change.kind.value}) "
            f"\u00ab{obs.evidence[:160]}\u00bb")


def print_round(report: RoundReport) -> None:
    """The analysis, then the delivery when anything was due (as `crawl` and `reread` show them)."""
    print_analysis(report.analysis)
    if report.delivery.attempted:
        say(f"alerts: {report.delivery.sent} sent, {report.delivery.failed} failed of {report.delivery.attempted}")


def _waiting_for_review(report: AnalysisReport) -> str:
    held = sum(change.kind.value == "held" for change in report.changes)
    if not held and not report.candidates:
        return ""
    return f"; {held} held changes and {report.candidates} stance candidates wait for `kommunvakt review`"
