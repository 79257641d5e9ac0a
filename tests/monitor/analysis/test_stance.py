"""Stance: the phenomena of real texts, each once; whose stance, how sure, with what evidence."""

from __future__ import annotations

import pytest

from monitor.analysis import analyze
from monitor.domain import Authority, Stance

D, A, N = Stance.DECLINED, Stance.ACCEPTED, Stance.NEUTRAL


def stances(text: str, topic, registry, owner: str | None = None) -> dict[str, Stance]:
    return {s.municipality_code: s.stance for s in analyze(text, topic, registry, owner_code=owner).stances}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Luleå tackar nej till samordnaren för återvandring.", {"2580": D}),
        ("Kiruna nobbar återvandring.", {"2584": D}),
        ("Umeå kommun avböjer regeringens inbjudan om återvandring.", {"2480": D}),
        ("Gävle avstår från att träffa samordnaren för återvandring.", {"2180": D}),
        ("Borås vill inte delta i arbetet med återvandring.", {"1490": D}),
        ("Västerås tackar ja till samordnaren för återvandring.", {"1980": A}),
        ("Nacka bjuder in den nationella samordnaren för återvandring.", {"0182": A}),
        ("Lomma ställer upp på ett möte om återvandring.", {"1262": A}),
        ("Malmö declined the invitation to talks on voluntary return.", {"1280": D}),
        ("Lund rejected the invitation from the national coordinator for voluntary return.", {"1281": D}),
        ("Solna refused to engage with the coordinator on voluntary repatriation.", {"0184": D}),
        ("Täby accepted the coordinator's invitation on voluntary return.", {"0160": A}),
    ],
)
def test_refusals_and_acceptances(text: str, expected: dict[str, Stance], topic, registry) -> None:
    assert stances(text, topic, registry) == expected


def test_a_list_shares_one_verb(topic, registry) -> None:
    text = "Jokkmokk, Boden, Kiruna and Kalix have all refused to meet the coordinator for voluntary return."
    assert stances(text, topic, registry) == {"2510": D, "2582": D, "2584": D, "2514": D}


def test_stance_by_reference(topic, registry) -> None:
    text = "Kiruna säger nej till samordnaren för återvandring. Samma besked ger Gällivare."
    assert stances(text, topic, registry) == {"2584": D, "2523": D}


def test_quote_of_a_leader(topic, registry) -> None:
    text = ("– Vi tackar nej till samordnaren, säger kommunstyrelsens ordförande Anna Ek (S) i Piteå om "
            "återvandringen.")
    assert stances(text, topic, registry) == {"2581": D}


def test_future_decision(topic, registry) -> None:
    text = "– Vi kommer att svara nej, säger kommunalrådet i Gällivare om samordnaren för återvandring."
    assert stances(text, topic, registry) == {"2523": D}


def test_a_no_that_opens_an_acceptance(topic, registry) -> None:
    text = ("Har Mjölby nobbat samordnaren för återvandring? – Nej, vi har inte fattat ett sådant beslut. "
            "Oavsett vad vi tycker om frågan är personen inbjuden, säger kommunstyrelsens ordförande i Mjölby.")
    assert stances(text, topic, registry) == {"0586": A}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Motionen om frivillig återvandring avslås.", D),
        ("Kommunfullmäktige beslutar att bifalla motionen om att informera om återvandringsbidraget.", A),
        ("Motionen om återvandring anses besvarad. Staden bör inte vara en aktiv part i återvandringsarbetet.", D),
        ("Kommunstyrelsen avstyrker motionen om återvandringsarbete.", D),
    ],
)
def test_protocol_formulas(text: str, expected: Stance, topic, registry) -> None:
    assert stances(text, topic, registry, owner="0180") == {"0180": expected}


def test_an_answered_motion_alone_states_nothing(topic, registry) -> None:
    assert stances("Motionen om återvandring anses besvarad.", topic, registry, owner="0180") == {}


@pytest.mark.parametrize(
    "text",
    [
        "Kommunfullmäktige beslutar att avslå motionen om återvandring.\n\nReservation\n"
        "Sverigedemokraterna reserverar sig och vill att kommunen tackar ja till samordnaren.",
        "Reservation av Per Ek (SD) enligt följande.\nAtt kommunstyrelsen bifaller motionen om återvandring.\n"
        "Ärendet\n\nKommunfullmäktige beslutar att avslå motionen om återvandring.",
    ],
)
def test_reservations_are_not_the_stance(text: str, topic, registry) -> None:
    assert stances(text, topic, registry, owner="2584") == {"2584": D}


@pytest.mark.parametrize(
    "text",
    [
        "Interpellanten vill att kommunen tackar ja till samordnaren för återvandring.",
        "SD har lämnat en motion om att kommunen ska bjuda in samordnaren för återvandring.",
        "Per Ek (SD) yrkar bifall till motionen om återvandring.",
        "Vi föreslår att kommunfullmäktige beslutar att bjuda in samordnaren för återvandring.",
        "Kommunen borde tacka ja till samordnaren för återvandring, skriver SD.",
    ],
)
def test_proposals_and_wishes_are_not_the_stance(text: str, topic, registry) -> None:
    assert stances(text, topic, registry, owner="0780") == {}


def test_a_partys_criticism_of_a_refusal_keeps_the_refusal(topic, registry) -> None:
    text = "Moderaterna i Skövde kritiserar att kommunen har tackat nej till samordnaren för återvandring."
    assert stances(text, topic, registry) == {"1496": D}


def test_a_minister_naming_nobody(topic, registry) -> None:
    text = "Forssell says that most municipalities are positive about the invitation on voluntary return."
    assert stances(text, topic, registry) == {}


def test_no_topic_no_stance(topic, registry) -> None:
    result = analyze("Åre kommun tackar nej till en ny vandringsled.", topic, registry)
    assert result.mentions == () and result.stances == () and result.municipalities == ("2321",)


def test_two_stances_in_one_sentence(topic, registry) -> None:
    text = "Ydre tackar nej till samordnaren för återvandring, medan Mjölby bjuder in henne."
    assert stances(text, topic, registry) == {"0512": D, "0586": A}


def test_neutral(topic, registry) -> None:
    text = "Övertorneå has not closed the door to the national coordinator for voluntary return."
    assert stances(text, topic, registry) == {"2518": N}


def test_negated_refusal_is_not_a_refusal(topic, registry) -> None:
    text = "Pajala har inte tackat nej till samordnaren för återvandring."
    assert stances(text, topic, registry) == {"2521": N}


def test_owner_speaks_in_first_person_with_decision_authority(topic, registry) -> None:
    text = "Svar på interpellation om återvandring.\nVi tackade nej till inbjudan från samordnaren."
    [finding] = analyze(text, topic, registry, owner_code="0665").stances
    assert (finding.municipality_code, finding.stance, finding.authority) == ("0665", D, Authority.DECISION)


def test_without_owner_it_is_press(topic, registry) -> None:
    [finding] = analyze("Vaggeryd tackar nej till återvandring.", topic, registry).stances
    assert finding.authority is Authority.PRESS


def test_the_caller_can_name_the_authority(topic, registry) -> None:
    text = "Kommunen tackar nej till samordnaren för återvandring."
    [finding] = analyze(text, topic, registry, owner_code="0665", authority=Authority.STATEMENT).stances
    assert finding.authority is Authority.STATEMENT


def test_other_municipalities_in_an_owners_document_are_press(topic, registry) -> None:
    text = "Vi tackar nej till samordnaren för återvandring. Jönköping har däremot tackat ja."
    found = {f.municipality_code: f.authority for f in analyze(text, topic, registry, owner_code="0665").stances}
    assert found == {"0665": Authority.DECISION, "0680": Authority.PRESS}


def test_evidence_is_the_verbatim_sentence(topic, registry) -> None:
    text = "Rubrik\n\nAnnat först. Kalix kommun tackar nej\ntill samordnaren för återvandring. Sist."
    [finding] = analyze(text, topic, registry).stances
    assert finding.evidence == "Kalix kommun tackar nej\ntill samordnaren för återvandring."
    assert text[finding.evidence_start:finding.evidence_start + len(finding.evidence)] == finding.evidence
    assert finding.municipality == "Kalix" and 0 < finding.confidence <= 1


def test_confidence_is_lower_for_weaker_evidence(topic, registry) -> None:
    strong = analyze("Kiruna tackar nej till samordnaren för återvandring.", topic, registry).stances[0]
    weak = analyze("Kiruna avvaktar med återvandringsfrågan.", topic, registry).stances[0]
    assert strong.confidence > weak.confidence


def test_owner_is_what_its_document_is_about(topic, registry) -> None:
    result = analyze("Motionen om återvandring avslås. Kiruna har gjort likadant.", topic, registry,
                     owner_code="0665")
    assert result.municipalities == ("0665", "2584")
    assert [s.municipality_code for s in result.stances] == ["0665", "2584"]


# --- issue 14: review thresholds per stance, never a false acceptance ------------------------------


def test_the_default_review_threshold_of_accepted_is_stricter_than_of_declined() -> None:
    from monitor.analysis.stance import DEFAULT_REVIEW_THRESHOLDS, review_threshold

    assert review_threshold(Stance.ACCEPTED) > review_threshold(Stance.DECLINED)
    assert review_threshold(Stance.ACCEPTED) == DEFAULT_REVIEW_THRESHOLDS[Stance.ACCEPTED]
    assert review_threshold(Stance.DECLINED, {Stance.DECLINED: 0.7}) == 0.7


@pytest.mark.parametrize(
    "text",
    [
        # acceptances that are not explicit, or not the municipality's own: held for review at most
        "Samordnaren för återvandring är inbjuden, skriver tidningen. Det uppger en tjänsteman i Piteå.",
        "Kalmar kommun har fått frågan om återvandring. Flera kommuner har sagt ja. Samma besked ger Kalmar.",
        "Det blir ett möte om återvandring i Motala. – Nej, vi har inte beslutat något, men samordnaren är välkommen.",
    ],
)
def test_a_less_explicit_acceptance_stays_below_the_accepted_threshold(text: str, topic, registry) -> None:
    from monitor.analysis.stance import review_threshold

    result = analyze(text, topic, registry)
    accepted = [s for s in result.stances if s.stance is A]
    assert all(s.confidence < review_threshold(A) for s in accepted)


def test_an_explicit_acceptance_by_the_municipality_is_alerted(topic, registry) -> None:
    from monitor.analysis.stance import review_threshold

    [finding] = analyze("Västerås kommun tackar ja till samordnaren för återvandring.", topic, registry).stances
    assert finding.stance is A and finding.confidence >= review_threshold(A)


def test_a_refusal_to_participate_is_never_an_acceptance(topic, registry) -> None:
    text = "Eskilstuna's refusal to participate in the voluntary return talks surprised the minister."
    assert stances(text, topic, registry) == {"0484": D}
