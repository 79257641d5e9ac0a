"""Mojibake (UTF-8 decoded as Latin-1/Windows-1252, once or twice) is repaired when the text is cleaned,
so the stored text is the repaired one and mentions index it; correct Swedish text is left as it is."""

from __future__ import annotations

import pytest

from crawler.extraction.extractor import extract_html
from monitor.analysis import clean_text, find_mentions
from monitor.analysis.normalise import repair_mojibake

PARAGRAPH = ("Kommunstyrelsen i Västerås har behandlat regeringens inbjudan om frivillig återvandring. "
             "Ordföranden Åsa Öberg säger att kommunen tackar nej till den nationella samordnaren – "
             "”det är inte en kommunal uppgift”, enligt beslutet den 28 oktober 2025 (§ 112).")


def decoded_twice(text: str, times: int = 1) -> str:
    """What a page shows when its UTF-8 is read as Windows-1252 (WHATWG's, which keeps 0x81, 0x8D, ...)."""
    for _ in range(times):
        text = "".join(_cp1252(byte) for byte in text.encode("utf-8"))
    return text


def _cp1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


@pytest.mark.parametrize("times", [1, 2])
def test_a_text_decoded_twice_is_repaired(times: int) -> None:
    broken = decoded_twice(PARAGRAPH, times)
    assert "återvandring" not in broken and "Ã" in broken

    assert clean_text(broken) == PARAGRAPH


def test_mentions_are_found_in_the_repaired_text_and_index_it(topic) -> None:
    text = clean_text(decoded_twice(PARAGRAPH))

    mentions = find_mentions(text, topic)

    assert mentions, "the repaired text mentions the topic"
    for mention in mentions:
        assert text[mention.start:mention.end] == mention.matched
    assert any(m.matched.lower().endswith("återvandring") for m in mentions)


def test_a_page_decoded_twice_is_stored_repaired() -> None:
    page = f"<html><head><title>Nyheter</title></head><body><article><h1>Beslut</h1><p>{decoded_twice(PARAGRAPH)}</p>" \
           "</article></body></html>"

    extraction = extract_html(page.encode("utf-8"), "https://kommun.example/nyheter/1", "utf-8")

    assert "frivillig återvandring" in extraction.text and "Ã" not in extraction.text


@pytest.mark.parametrize("correct", [
    PARAGRAPH,
    "Åre, Älmhult, Öckerö och Ängelholm: 1 250 kr · 3 § · 50 % · 12 °C · «citat» · € 30 · £ 5 · µg",
    "Âge d'or och São Paulo, Ãrvore (portugisiska), Ångermanland",  # the marks in text that is right
])
def test_correct_text_is_not_changed(correct: str) -> None:
    assert repair_mojibake(correct) == correct
