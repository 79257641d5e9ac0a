"""Who says so: the line under a quote ("enligt SVT Nyheter, 2025-10-28", "beslut i kommunstyrelsen, …")."""

from __future__ import annotations

import re

from alerts.labels import Labels, format_date
from monitor.domain import Authority, Observation

# Checked in order; the first that matches the document title (then the quote) names the body.
_BODIES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bkommunstyrelsens\s+arbetsutskott\b|\bKSAU\b", re.IGNORECASE), "kommunstyrelsens arbetsutskott"),
    (re.compile(r"\bkommunfullmäktiges?\b|\bKF\b", re.IGNORECASE), "kommunfullmäktige"),
    (re.compile(r"\bkommunstyrelsen?s?\b|\bKS\b", re.IGNORECASE), "kommunstyrelsen"),
    (re.compile(r"\b(\w+)nämnd(?:en|ens|s)?\b", re.IGNORECASE), r"\1nämnden"),
)


def issuing_body(*texts: str) -> str | None:
    """The municipal body a document speaks for (kommunfullmäktige, kommunstyrelsen, a nämnd), if named."""
    for text in texts:
        for pattern, name in _BODIES:
            match = pattern.search(text or "")
            if match:
                return match.expand(name).lower()
    return None


def attribution(observation: Observation, labels: Labels) -> str:
    """Where the evidence comes from and when; says plainly when it is a press report."""
    day = format_date(observation.observed_on, labels)
    if observation.authority is Authority.PRESS:
        if observation.outlet:
            return labels.according_to.format(outlet=observation.outlet, date=day)
        return labels.press_report.format(date=day)
    body = issuing_body(observation.document_title, observation.evidence)
    if observation.authority is Authority.STATEMENT:
        return labels.statement_by.format(body=body, date=day) if body else labels.statement.format(date=day)
    return labels.decision_in.format(body=body, date=day) if body else labels.decision.format(date=day)
