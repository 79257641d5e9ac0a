"""clean_text: what extraction applies before storing; fold_in_place: the matching view."""

from __future__ import annotations

import pytest

from monitor.analysis import clean_text
from monitor.analysis.normalise import fold_in_place


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("A\u0308ngelholm och a\u030angermanland", "Ängelholm och ångermanland"),  # NFC
        ("\ufb01nansiering och \ufb02ykting, e\ufb00ekt", "finansiering och flykting, effekt"),
        ("åter\u00advandring", "återvandring"),  # soft hyphen
        ("åter\u00ad\nvandring", "återvandring"),  # soft hyphen at a line break
        ("frivillig åter-\nvandring", "frivillig återvandring"),
        ("åter- \n  vandringsbidraget", "återvandringsbidraget"),
        ("återvandrings-\r\nbidraget", "återvandringsbidraget"),
        ("Malung-Sälen och SD-reservationen", "Malung-Sälen och SD-reservationen"),
        ("SD-\nreservationen", "SD-\nreservationen"),  # a capital before the hyphen: a real hyphen
        ("Malung-\nSälen", "Malung-\nSälen"),  # a capital after it: kept
        ("år 2024-\n2025", "år 2024-\n2025"),
        # a conjunction after the hyphen: a shared ending, not a hyphenated word
        ("på kommun-\noch regionnivå", "på kommun-\noch regionnivå"),
        ("för-\neller nackdelar", "för-\neller nackdelar"),
        ("såväl stats-\nsom kommunnivå", "såväl stats-\nsom kommunnivå"),
        ("barn- och\nungdomsnämnden, skol-\n samt fritidsfrågor", "barn- och\nungdomsnämnden, skol-\nsamt fritidsfrågor"),
        ("två-\ntill trerumslägenheter", "två-\ntill trerumslägenheter"),
        # a dash as punctuation before a pronoun or "att": kept apart
        ("i år-\ndet är inte aktuellt", "i år-\ndet är inte aktuellt"),
        ("sedan i år- \nvi tackar nej", "sedan i år-\nvi tackar nej"),
        # real hyphenations, also when the continuation starts like one of those words
        ("kommunen tack-\nade nej", "kommunen tackade nej"),
        ("sam-\nordnaren", "samordnaren"),
        ("åter-\nvandringen", "återvandringen"),
        ("över-\nsyn och an-\ndelen", "översyn och andelen"),
        ("inte-\ngrationen", "integrationen"),
        ("Kiruna\u00a0kommun\tsäger  nej", "Kiruna kommun säger nej"),
        ("rad ett\r\nrad två\rrad tre", "rad ett\nrad två\nrad tre"),
        ("sida ett\fsida två", "sida ett\n\nsida två"),
        ("stycke\n\n\n\n\nnästa", "stycke\n\nnästa"),
        ("  mellanslag   före \n  och efter  ", "mellanslag före\noch efter"),
        ("noll\u200bbredd\ufeff", "nollbredd"),
        ("kontroll\x00tecken", "kontroll tecken"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_clean_text_keeps_newlines_between_paragraphs() -> None:
    assert clean_text("Rubrik\n\nFörsta stycket.\nAndra raden.") == "Rubrik\n\nFörsta stycket.\nAndra raden."


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Återvandring", "atervandring"),
        ("ÖVERKALIX Luleå Göteborg", "overkalix lulea goteborg"),
        ("Ærø, Øresund, café", "aro, oresund, cafe"),
        ("“Nej tack”, sa hon – igen", '"nej tack", sa hon - igen'),
        ("government’s", "government's"),
        ("İstanbul", "istanbul"),
        ("東京 Ωmega", "xx xmega"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold_in_place(text) == folded


def test_fold_keeps_length_and_ocr_damage() -> None:
    text = "&tervandring 6ka féljande"
    assert len(fold_in_place(text)) == len(text)
    assert fold_in_place(text) == "&tervandring 6ka feljande"
