"""Press against the municipality's own word, through the analysis stage (monitor.app.analysis_stage) and storage:
a newer protocol decision outranks an older press report; an older one does not."""

from __future__ import annotations

from datetime import date

from alerts.render import render_stance_change
from monitor.app.analysis_stage import analyse_pending, to_stance_change
from monitor.domain import Authority, Stance
from storage import repository as repo
from tests.support.press import publish

VAGGERYD = "0665"
DECISION = """Protokoll kommunstyrelsen

§ 145 Inbjudan från regeringens nationella samordnare för återvandring (KS/2025:310)

Beslut
Kommunstyrelsen beslutar att tacka ja till inbjudan till ett möte med den nationella samordnaren för återvandring.

Ärendebeskrivning
Regeringens nationella samordnare för återvandring har bjudit in kommunen till ett möte om hur arbetet med
frivillig återvandring kan stärkas."""
REPORT = """Vaggeryd säger nej till regeringens samordnare

Vaggeryds kommun tackar nej till inbjudan från regeringens nationella samordnare för återvandring, Teresa
Zetterblad. Det framgår av kommunens svar till Regeringskansliet, som tidningen har tagit del av.

Samordnaren har under hösten skickat brev till landets kommuner och bjudit in till samtal om återvandring."""
OLDER_REPORT = """Kommunerna i Jönköpings län svarar samordnaren

Vaggeryds kommun har tackat nej till den nationella samordnaren för återvandring, rapporterade lokalradion
redan i början av oktober. Kommunen hänvisar till att frågan om återvandring är statens ansvar."""


def stance_now(database, context) -> tuple[Stance, Authority]:
    with database.transaction() as session:
        stance, observation_id = repo.current_stance(session, VAGGERYD, context.topic.name)
        return stance, repo.observation(session, observation_id).authority


def test_a_newer_decision_outranks_an_older_press_report(service):
    database, context = service
    publish(database, "press-lokal", "https://www.vn.se/a/1", REPORT, date(2025, 10, 28), "Värnamo Nyheter")
    first = analyse_pending(database, context)
    assert [(c.new, c.observation.authority) for c in first.changes] == [(Stance.DECLINED, Authority.PRESS)]

    publish(database, "vaggeryd-protocols", "https://www.vaggeryd.se/ks-2025-11-10.pdf", DECISION, date(2025, 11, 10))
    second = analyse_pending(database, context)
    assert [(c.old, c.new) for c in second.changes] == [(Stance.DECLINED, Stance.ACCEPTED)]
    assert stance_now(database, context) == (Stance.ACCEPTED, Authority.DECISION)

    # A press report older than the decision, analysed after it, does not overturn it.
    publish(database, "press-lokal", "https://www.vn.se/a/0", OLDER_REPORT, date(2025, 10, 3), "P4 Jönköping")
    third = analyse_pending(database, context)
    assert third.observations == 1 and third.changes == []
    assert stance_now(database, context) == (Stance.ACCEPTED, Authority.DECISION)


def test_an_older_decision_does_not_outrank_a_newer_press_report(service):
    database, context = service
    publish(database, "vaggeryd-protocols", "https://www.vaggeryd.se/ks-2025-09-01.pdf", DECISION, date(2025, 9, 1))
    publish(database, "press-lokal", "https://www.vn.se/a/1", REPORT, date(2025, 10, 28), "Värnamo Nyheter")
    report = analyse_pending(database, context)
    assert [(c.old, c.new) for c in report.changes] == [(Stance.UNKNOWN, Stance.ACCEPTED),
                                                        (Stance.ACCEPTED, Stance.DECLINED)]
    assert stance_now(database, context) == (Stance.DECLINED, Authority.PRESS)

    change = to_stance_change(context, 1, report.changes[-1])
    assert change.observation.outlet == "Värnamo Nyheter" and change.observation.observed_on == date(2025, 10, 28)
    message = render_stance_change(change, "en")
    assert "according to Värnamo Nyheter, 2025-10-28" in message.body
    assert "enligt Värnamo Nyheter, 2025-10-28" in render_stance_change(change, "sv").body
