"""find_mentions: inflections and compounds, OCR damage, English, near misses, offsets and snippets."""

from __future__ import annotations

import pytest

from monitor.analysis import clean_text, find_mentions
from tests.support.seeds import SEEDS


def terms(text: str, topic) -> list[str]:
    return [m.term for m in find_mentions(text, topic)]


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Kommunen ser inget behov av återvandring.", "återvandring"),
        ("Återvandringen har ökat.", "återvandring"),
        ("De som vill återvandra får stöd.", "återvandring"),
        ("Två familjer återvandrar i år.", "återvandring"),
        ("Hon har återvandrat till Irak.", "återvandring"),
        ("SD vill starta en återvandringskampanj.", "återvandring"),
        ("Återvandringsbidraget höjs.", "återvandringsbidrag"),
        ("Det finns bidrag till återvandring sedan länge.", "återvandringsbidrag"),
        ("Återvandringsarbetet ska samordnas.", "återvandringsarbete"),
        ("Frivillig återvandring är ett statligt ansvar.", "frivillig återvandring"),
        ("Vi ska främja frivilligt återvandrande.", "frivillig återvandring"),
        ("Den nationella samordnaren för återvandring skrev till alla.", "nationell samordnare för återvandring"),
        ("Samordnaren för arbetet med återvandring heter Teresa Zetterblad.", "nationell samordnare för återvandring"),
        ("Teresa Zetterblad har skrivit till kommunerna.", "Teresa Zetterblad"),
        ("SD talar om remigration.", "remigration"),
        ("The national coordinator for voluntary return wrote to them.", "national coordinator"),
        ("Work on voluntary repatriation is growing.", "voluntary repatriation"),
        ("The repatriation grant is voluntary.", "repatriation grant"),
        ("A completely voluntary return contribution.", "voluntary return"),
        ("Return migration is rising.", "return migration"),
        ("ÅTERVANDRING I FOKUS", "återvandring"),
    ],
)
def test_inflections_compounds_and_english(text: str, term: str, topic) -> None:
    assert term in terms(text, topic)


@pytest.mark.parametrize(
    "text",
    ["frivillig atervandring", "möjligheter till &tervandring", "atervandringsbidrag", "frivillig 6tervandring",
     "dtervandringen"],
)
def test_ocr_damage_still_matches(text: str, topic) -> None:
    assert terms(text, topic)


@pytest.mark.parametrize(
    "text",
    [
        "Migrationsverket ansvarar för återvändandet av avvisade asylsökande.",
        "Ett nytt återvändandecenter öppnar i Mölndal.",
        "Rehabiliteringen syftar till återgång i arbete.",
        "Kommunen vill locka hemvändare.",
        "Nya vandringsleder invigs i Åre.",
        "Vandringen längs Kungsleden är populär.",
        "I Finland finns bidrag för frivillig återresa och stöd vid återflyttning.",
        "Returning fighters from Syria will be prosecuted.",
        "A return to work programme for the long-term sick.",
        "The repatriation of remains held by the museum.",
        "Invandringen minskar.",
        "Den nationella samordnaren mot våld i nära relationer.",
        "The national coordinator for cycling infrastructure.",
    ],
)
def test_near_misses_are_no_mentions(text: str, topic) -> None:
    assert find_mentions(text, topic) == ()


def test_coordinator_counts_in_a_text_about_the_topic(topic) -> None:
    text = "Samordnaren har skrivit till alla kommuner. Hon arbetar med frivillig återvandring."
    assert terms(text, topic) == ["samordnaren", "frivillig återvandring"]


def test_coordinator_far_from_the_topic_does_not_count(topic) -> None:
    text = "Samordnaren har skrivit till alla kommuner." + " Annat ärende." * 400 + " Om återvandring."
    assert terms(text, topic) == ["återvandring"]


def test_offsets_matched_and_snippet_refer_to_the_text(topic) -> None:
    text = clean_text("Rubrik\n\nKommunen tackar nej. Frågan om åter-\nvandring är enligt kommunen statens. Nästa.")
    [mention] = find_mentions(text, topic)
    assert text[mention.start:mention.end] == mention.matched == "återvandring"
    assert mention.snippet == "Frågan om återvandring är enligt kommunen statens."


def test_snippet_of_a_short_heading_takes_the_next_sentence(topic) -> None:
    text = "Återvandring\nKommunen har tackat nej till samordnaren."
    assert find_mentions(text, topic)[0].snippet == text


def test_mentions_in_the_ocr_seed(topic) -> None:


    text = clean_text((SEEDS / "protocol-sv-stockholm-utlatande-motion-frivillig-atervandring-ocr.txt").read_text())
    mentions = find_mentions(text, topic)
    assert len(mentions) >= 30
    assert any(m.matched == "&tervandring" for m in mentions)
