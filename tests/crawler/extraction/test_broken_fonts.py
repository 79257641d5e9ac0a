"""PDFs whose text layer is there but unreadable: letters as (cid:N) codes (no ToUnicode map) or mostly
not letters (a wrong map).  They are treated like scans: read by OCR where Tesseract is installed, else they
wait for OCR (NEEDS_OCR, a warning in the crawl and "waits for OCR" in `status`)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pdfminer.high_level import extract_text

from crawler.extraction.extractor import UNREADABLE_TEXT_LAYER, PdfLimits, extract_pdf
from crawler.extraction.ocr import OcrSettings, is_ocr_text, ocr_unavailable
from crawler.ledger import waits_for_ocr
from monitor.analysis import find_mentions, load_topic
from monitor.domain import ReadState
from tests.support.fault_documents import (
    SCANNED_LINES,
    pdf_with_a_few_unmapped_symbols,
    pdf_with_wrong_unicode_map,
    pdf_without_unicode_map,
)

LIMITS = PdfLimits(timeout_seconds=60, memory_mb=1024, max_pages=5)
needs_tesseract = pytest.mark.skipif(ocr_unavailable(OcrSettings()) is not None,
                                     reason=f"OCR not available here: {ocr_unavailable(OcrSettings())}")
BROKEN = {"no ToUnicode map": pdf_without_unicode_map, "a wrong ToUnicode map": pdf_with_wrong_unicode_map}


def test_the_fixtures_really_have_a_broken_text_layer() -> None:
    missing = extract_text(io.BytesIO(pdf_without_unicode_map(SCANNED_LINES)))
    assert "(cid:" in missing and "återvandring" not in missing and "tervandring" in missing
    wrong = extract_text(io.BytesIO(pdf_with_wrong_unicode_map(SCANNED_LINES)))
    assert "Kommunstyrelsen" not in wrong and "\ue04b" in wrong  # 'K' in the Private Use Area


@pytest.mark.parametrize("make", BROKEN.values(), ids=BROKEN.keys())
def test_without_tesseract_it_waits_for_ocr(make, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without tesseract (or pdftoppm)

    extraction = extract_pdf(make(SCANNED_LINES), LIMITS)

    assert extraction.state is ReadState.NEEDS_OCR and extraction.text == ""
    assert extraction.error is not None and extraction.error.startswith(UNREADABLE_TEXT_LAYER + " (")
    assert "OCR unavailable: tesseract not found" in extraction.error
    assert waits_for_ocr(extraction.error)  # a warning for the crawl, not a failed source


@needs_tesseract
@pytest.mark.parametrize("make", BROKEN.values(), ids=BROKEN.keys())
def test_with_tesseract_it_is_read_by_ocr(make) -> None:
    extraction = extract_pdf(make(SCANNED_LINES), LIMITS)

    assert extraction.state is ReadState.READ and extraction.error is None, extraction.error
    assert is_ocr_text(extraction.extractor)
    assert "(cid:" not in extraction.text
    assert any(m.matched.lower() == "återvandring" for m in find_mentions(extraction.text, load_topic()))


def test_a_few_unmapped_symbols_in_good_text_keep_the_text_layer() -> None:
    lines = [f"Punkt {n}: kommunstyrelsen beslutar om frivillig återvandring och budget för år 2026." for n in
             range(30)]

    extraction = extract_pdf(pdf_with_a_few_unmapped_symbols(lines), LIMITS)

    assert extraction.state is ReadState.READ and extraction.extractor.startswith("pdfminer.six/")
    assert extraction.text.count("(cid:") == 3 and "frivillig återvandring" in extraction.text


def test_a_table_of_figures_is_not_garbage() -> None:
    from crawler.extraction.textlayer import unreadable_text_layer

    table = "\n".join(f"{n:>4}  {n * 1250:>10,}  {n * 3.5:>8.1f} %  2025-10-{n % 28 + 1:02d}" for n in range(1, 60))
    assert unreadable_text_layer("Budget per kontor\n" + table) is None
