"""The round that follows new documents, the same for `crawl`, `reread` and the daemon:
analyse what is pending → check every source's health → dispatch the alerts that are due."""

from __future__ import annotations

from dataclasses import dataclass

from alerts.dispatch import DispatchReport, dispatch_due
from monitor.app.analysis_stage import AnalysisReport, analyse_pending
from monitor.app.clock import utcnow
from monitor.app.health import check_health
from monitor.app.locks import holder_name
from monitor.app.service import Service


@dataclass(frozen=True)
class RoundReport:
    analysis: AnalysisReport
    health_events: int  # sources that started failing, went stale or recovered
    delivery: DispatchReport


def analyse_check_dispatch(service: Service, role: str, alerts_enabled: bool = True) -> RoundReport:
    """One round; `role` names who dispatches (the claim holder in `alerts list`)."""
    analysis = analyse_pending(service.database, service.context(alerts_enabled=alerts_enabled))
    events = check_health(service, utcnow())
    return RoundReport(analysis, events, dispatch(service, role))


def dispatch(service: Service, role: str) -> DispatchReport:
    """Deliver every alert that is due now, with the configured targets and attempt limit."""
    return dispatch_due(service.database, service.config.alerts.targets, utcnow(), holder_name(role),
                        service.config.alerts.max_attempts)
