"""The three seed documents give exactly the results in tests/fixtures/seeds/README.md."""

from __future__ import annotations

from monitor.analysis import analyze, clean_text
from monitor.domain import Authority, Stance
from tests.support.seeds import SEEDS

PRESS_DECLINED = {"0180", "1480", "2510", "2582", "2584", "2523", "2513", "2521", "2505", "2506", "2580", "2514"}


def seed(name: str) -> str:
    return clean_text((SEEDS / name).read_text(encoding="utf-8"))


def test_english_press_report_declines_exactly_twelve(topic, registry) -> None:
    result = analyze(seed("press-en-stockholm-says-no-to-coordinator.txt"), topic, registry)
    assert {s.municipality_code: s.stance for s in result.stances} == dict.fromkeys(PRESS_DECLINED, Stance.DECLINED)
    assert all(s.authority is Authority.PRESS for s in result.stances)


def test_gothenburg_only_gives_the_same_message(topic, registry) -> None:
    result = analyze(seed("press-en-stockholm-says-no-to-coordinator.txt"), topic, registry)
    [gothenburg] = [s for s in result.stances if s.municipality_code == "1480"]
    assert gothenburg.evidence == "Gothenburg also gives the same message, reports GP."


def test_english_press_report_mentions(topic, registry) -> None:
    result = analyze(seed("press-en-stockholm-says-no-to-coordinator.txt"), topic, registry)
    terms = {m.term for m in result.mentions}
    assert {"national coordinator", "voluntary repatriation", "remigration", "repatriation grant"} <= terms


def test_stockholm_ocr_protocol_declines_despite_the_sd_reservation(topic, registry) -> None:
    text = seed("protocol-sv-stockholm-utlatande-motion-frivillig-atervandring-ocr.txt")
    result = analyze(text, topic, registry, owner_code="0180")
    assert [(s.municipality_code, s.stance, s.authority) for s in result.stances] == [
        ("0180", Stance.DECLINED, Authority.DECISION)]
    assert len(result.mentions) >= 30


def test_vaggeryd_declines_in_its_own_words(topic, registry) -> None:
    result = analyze(seed("protocol-sv-vaggeryd-interpellationssvar-atervandring.txt"), topic, registry,
                     owner_code="0665")
    [finding] = result.stances
    assert (finding.municipality_code, finding.stance) == ("0665", Stance.DECLINED)
    assert "tackade nej" in finding.evidence or "tackar nej" in finding.evidence


def test_evidence_and_snippets_are_verbatim(topic, registry) -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = clean_text(path.read_text(encoding="utf-8"))
        result = analyze(text, topic, registry)
        for mention in result.mentions:
            assert text[mention.start:mention.end] == mention.matched and mention.snippet in text
        for finding in result.stances:
            assert text[finding.evidence_start:finding.evidence_start + len(finding.evidence)] == finding.evidence
