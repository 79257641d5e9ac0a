"""Press layout: headlines, one phrase per line, photo captions, reader comments."""

from __future__ import annotations

from monitor.analysis import analyze
from monitor.analysis.text import comments_start, is_headline, sentence_spans


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def test_a_long_first_line_without_final_punctuation_is_a_headline_of_its_own() -> None:
    text = "Fler kommuner i norr säger nej till regeringens samordnare för återvandring\nKiruna är den senaste."
    assert _sentences(text) == ["Fler kommuner i norr säger nej till regeringens samordnare för återvandring",
                                "Kiruna är den senaste."]
    assert is_headline(text, sentence_spans(text)[0]) and not is_headline(text, sentence_spans(text)[1])


def test_a_long_line_inside_the_text_still_runs_on() -> None:
    text = "Första meningen. Kommunstyrelsen i Boden beslutade i går efter en lång debatt att\nBodens kommun inte deltar."
    assert len(_sentences(text)) == 2


def test_phrases_over_blank_lines_are_one_sentence_when_the_next_line_opens_in_lower_case() -> None:
    text = "Om återvandring\n\nLuleå kommun\n\nsäger nej\n\ntill samordnaren.\n\nDet var allt."
    assert _sentences(text) == ["Om återvandring", "Luleå kommun\n\nsäger nej\n\ntill samordnaren.", "Det var allt."]


def test_a_photo_caption_is_no_part_of_a_sentence() -> None:
    text = "Boden tackar nej till samordnaren\nFoto: Anna Ek/TT\nkommunen skickade sitt svar i går."
    assert "Foto: Anna Ek/TT" in _sentences(text)


def test_reader_comments_begin_at_their_heading_or_at_the_commenters() -> None:
    article = "Samordnaren för återvandring har skrivit till alla kommuner.\n\n"
    assert comments_start(article + "Kommentarer (4)\nOlle skriver:\nBra.") == len(article)
    signed = article + "Olle skriver:\nBra.\nStina skriver:\nDåligt."
    assert comments_start(signed) == len(article)
    assert comments_start(article + "Olle skriver: en enda rad.") == len(article + "Olle skriver: en enda rad.")


def test_a_reader_comment_gives_no_stance_but_a_candidate(topic, registry) -> None:
    text = ("Regeringens samordnare för återvandring har bjudit in kommunerna.\n\nKommentarer\n\n"
            "Kalle skriver:\nUmeå tackar nej, hörde jag.\nLisa skriver:\nInte alls.")
    result = analyze(text, topic, registry)
    assert not result.stances
    assert [(c.municipality, c.reason) for c in result.candidates] == [("Umeå", "a reader comment after the article")]
