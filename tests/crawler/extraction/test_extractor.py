"""Text extraction: PDFs in the sandbox child, HTML with the right encoding, clean text for both."""

from __future__ import annotations

import os
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest

import crawler.extraction.extractor as extract_module
from crawler.extraction.extractor import (
    NO_TEXT_LAYER,
    PdfLimits,
    extract_document,
    extract_html,
    extract_pdf,
    join_pages,
)
from crawler.extraction.ocr import INSTALL_HINT, OcrSettings, is_ocr_text, ocr_unavailable
from monitor.domain import ReadState
from tests.support.fault_documents import SCANNED_LINES, flate_bomb_pdf, scanned_pdf
from tests.support.sites import Protocol, example_body, pdf_document, protocol_pdf

LIMITS = PdfLimits(timeout_seconds=30, memory_mb=512, max_pages=50)
MEETING = date(2025, 10, 28)


@pytest.fixture(scope="module")
def protocol_bytes() -> bytes:
    return protocol_pdf(Protocol("Protokoll kommunfullmäktige 2025-10-28", MEETING, example_body(MEETING)))


def test_a_protocol_pdf_gives_its_swedish_text_pages_title_and_date(protocol_bytes: bytes) -> None:
    extraction = extract_pdf(protocol_bytes, LIMITS)

    assert extraction.error is None
    assert extraction.extractor.startswith("pdfminer.six/")
    assert "SAMMANTRÄDESPROTOKOLL" in extraction.text
    assert "Utses att justera Anna Öberg och Måns Ågren" in extraction.text
    assert "äldreomsorgens särskilda boenden" in extraction.text
    assert extraction.title == "Protokoll kommunfullmäktige 2025-10-28"
    assert extraction.published_on == MEETING
    assert len(extraction.pages) == 2 and extraction.pages[0] == 0
    assert extraction.text[extraction.pages[1]:].startswith("§ 1 Val av justerare")
    assert extraction.text[:extraction.pages[1]].rstrip().endswith("Förvaringsplats för protokollet Kommunkansliet")


def test_only_max_pages_are_read() -> None:
    data = pdf_document("Lång", [[f"Sida {n} av protokollet"] for n in range(1, 6)])

    extraction = extract_pdf(data, PdfLimits(30, 512, max_pages=2))

    assert extraction.error is None and extraction.truncated
    assert len(extraction.pages) == 2 and "Sida 3" not in extraction.text


@pytest.mark.parametrize(("data", "error"), [
    (b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF\n", "malformed PDF: "),
    (b"<!DOCTYPE html><html><body><h1>Sidan finns inte</h1></body></html>", "not a PDF (looks like HTML)"),
    (b"", "not a PDF (empty response)"),
    (b"PK\x03\x04 a zip file", "not a PDF (no %PDF header)"),
])
def test_a_bad_pdf_is_an_error_not_an_exception(data: bytes, error: str) -> None:
    extraction = extract_pdf(data, LIMITS)

    assert extraction.error is not None and extraction.error.startswith(error)
    assert extraction.text == "" and extraction.pages == ()


def test_a_truncated_download_is_a_malformed_pdf(protocol_bytes: bytes) -> None:
    extraction = extract_pdf(protocol_bytes[: len(protocol_bytes) // 2], LIMITS)

    assert extraction.error is not None and extraction.error.startswith("malformed PDF: ")


needs_tesseract = pytest.mark.skipif(ocr_unavailable(OcrSettings()) is not None,
                                     reason=f"OCR unavailable here: {ocr_unavailable(OcrSettings())}")


@needs_tesseract
def test_a_scanned_pdf_is_read_by_tesseract_and_marked_as_ocr_text() -> None:
    extraction = extract_pdf(scanned_pdf([SCANNED_LINES]), LIMITS)

    assert extraction.error is None and extraction.state is ReadState.READ
    assert extraction.extractor.startswith("ocr:tesseract/") and is_ocr_text(extraction.extractor)
    assert "frivillig återvandring" in extraction.text
    assert "Kommunstyrelsen beslutar att avböja" in extraction.text
    assert extraction.title == "Skannat protokoll"


@needs_tesseract
def test_ocr_reads_only_max_pages_pages() -> None:
    pages = [[f"Sida {word} av protokollet"] for word in ("ett", "två", "tre")]

    extraction = extract_pdf(scanned_pdf(pages), PdfLimits(30, 512, max_pages=2))

    assert extraction.truncated and "Sida två" in extraction.text and "tre" not in extraction.text
    assert len(extraction.pages) == 2


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if text in command:
            found.append(command)
    return found


@needs_tesseract
def test_ocr_is_held_to_its_time_limit_and_leaves_nothing_behind(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    pages = [SCANNED_LINES] * 6
    started = time.monotonic()

    extraction = extract_pdf(scanned_pdf(pages), PdfLimits(30, 512, 50, OcrSettings(), ocr_timeout_seconds=0.5))

    assert extraction.error == "OCR failed: timed out after 0.5 s"
    assert extraction.state is ReadState.QUARANTINED and extraction.extractor.startswith("ocr:")
    assert time.monotonic() - started < 10
    assert _processes_mentioning(str(tmp_path)) == []  # pdftoppm/tesseract were killed with the child
    assert list(tmp_path.iterdir()) == []  # and their page images removed


def test_without_tesseract_a_scan_waits_for_ocr(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without tesseract (or pdftoppm)

    extraction = extract_pdf(scanned_pdf([SCANNED_LINES]), LIMITS)

    assert extraction.state is ReadState.NEEDS_OCR and extraction.text == ""
    assert extraction.error is not None and extraction.error.startswith(NO_TEXT_LAYER + ": tesseract not found")
    assert "install tesseract-ocr" in extraction.error


def test_a_missing_ocr_command_from_the_config_is_said() -> None:
    limits = PdfLimits(30, 512, 50, OcrSettings(command="tesseract-not-installed"))

    extraction = extract_pdf(pdf_document("Skannad", [[]]), limits)

    assert extraction.state is ReadState.NEEDS_OCR
    assert extraction.error == f"{NO_TEXT_LAYER}: tesseract-not-installed not found ({INSTALL_HINT})"


def test_a_flate_bomb_is_stopped_by_the_memory_limit() -> None:
    extraction = extract_pdf(flate_bomb_pdf(512), PdfLimits(timeout_seconds=30, memory_mb=256, max_pages=5))

    assert extraction.error == "exceeded memory limit" and extraction.state is ReadState.QUARANTINED


@pytest.mark.parametrize(("data", "state"), [
    (b"<!DOCTYPE html><html><body>Serverfel</body></html>", ReadState.REFETCH),
    (b"", ReadState.REFETCH),
    (b"PK\x03\x04 a zip file", ReadState.QUARANTINED),
    (b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n%%EOF\n", ReadState.QUARANTINED),
])
def test_an_error_page_is_downloaded_again_but_a_broken_file_is_quarantined(data: bytes, state: ReadState) -> None:
    assert extract_pdf(data, LIMITS).state is state


def _hang(_data: bytes, _max_pages: int) -> None:
    time.sleep(60)


def _explode(_data: bytes, _max_pages: int) -> bytes:
    return b"x" * (2 * 1024 * 1024 * 1024)


def test_a_hanging_parser_is_killed_after_the_time_limit(monkeypatch, protocol_bytes: bytes) -> None:
    monkeypatch.setattr(extract_module, "read_pdf", _hang)
    started = time.monotonic()

    extraction = extract_pdf(protocol_bytes, PdfLimits(timeout_seconds=0.5, memory_mb=512, max_pages=5))

    assert extraction.error == "timed out after 0.5 s"
    assert time.monotonic() - started < 10


def test_an_exploding_parser_hits_the_memory_limit(monkeypatch, protocol_bytes: bytes) -> None:
    monkeypatch.setattr(extract_module, "read_pdf", _explode)

    extraction = extract_pdf(protocol_bytes, PdfLimits(timeout_seconds=30, memory_mb=256, max_pages=5))

    assert extraction.error == "exceeded memory limit"


def test_pdf_bytes_are_read_as_pdf_whatever_the_server_says(protocol_bytes: bytes) -> None:
    extraction = extract_document(protocol_bytes, "https://x.se/visa?id=7", "text/html; charset=utf-8", LIMITS)

    assert extraction.error is None and "SAMMANTRÄDESPROTOKOLL" in extraction.text


@pytest.mark.parametrize("content_type", ["application/pdf", "text/html"])
def test_an_html_error_page_served_for_a_pdf_is_an_error(content_type: str) -> None:
    page = "<html><head><title>Fel</title></head><body>Ett fel har uppstått</body></html>".encode()

    extraction = extract_document(page, "https://x.se/download/18.1/2/protokoll.pdf", content_type, LIMITS,
                                  expect_pdf=True)

    assert extraction.error == "not a PDF (looks like HTML)"


def test_an_unknown_file_type_is_an_error() -> None:
    extraction = extract_document(b"PK\x03\x04", "https://x.se/download/18.1/2/protokoll.docx",
                                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document", LIMITS)

    assert extraction.error == (
        "unsupported document type: application/vnd.openxmlformats-officedocument.wordprocessingml.document")


# --- HTML -------------------------------------------------------------------------------------------

ARTICLE = """<!DOCTYPE html><html><head>{meta}<title>Kommunstyrelsens beslut - Vaggeryds kommun</title></head>
<body><nav><a href="/">Start</a> <a href="/kontakt">Kontakt</a></nav>
<main><h1>Beslut i kommunstyrelsen 4 november 2025</h1>
<p>Kommunstyrelsen beslutade att ge förvaltningen i uppdrag att utreda skolskjutsarna i Hok och Svenarum.</p>
<p>Ärendet om äldreomsorgens lokaler återremitterades till socialnämnden för ytterligare beredning – med
synpunkter från de förtroendevalda om tillgänglighet och kostnader.</p>
<p>Beslutet om {ligature}nansiering av gatubelysningen längs Skillingarydsvägen bordlades till nästa möte.</p>
</main><footer>© Vaggeryds kommun</footer></body></html>"""


def article(meta: str = "", ligature: str = "fi") -> str:
    return ARTICLE.format(meta=meta, ligature=ligature)


def test_windows_1252_without_any_charset_is_decoded_right() -> None:
    extraction = extract_html(article().encode("cp1252"), "https://www.vaggeryd.se/beslut.4.1.html", None)

    assert "äldreomsorgens lokaler återremitterades" in extraction.text
    assert "beredning – med" in extraction.text
    assert extraction.title == "Beslut i kommunstyrelsen 4 november 2025"
    assert extraction.extractor.startswith("trafilatura/")


@pytest.mark.parametrize(("data", "declared"), [
    (article().encode("utf-8"), "utf-8"),
    (article('<meta charset="windows-1252">').encode("cp1252"), None),
    (article('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">').encode("cp1252"), None),
    (article().encode("cp1252"), "iso-8859-1"),  # browsers read latin-1 as windows-1252, and so do we
    (article('<meta charset="utf-8">').encode("cp1252"), "utf-8"),  # a wrong declaration does not garble
])
def test_the_declared_or_meta_charset_is_used(data: bytes, declared: str | None) -> None:
    extraction = extract_html(data, "https://x.se/", declared)

    assert "äldreomsorgens" in extraction.text and "beredning – med" in extraction.text


def test_html_main_text_leaves_navigation_out() -> None:
    extraction = extract_html(article().encode(), "https://x.se/", "utf-8")

    assert "Kontakt" not in extraction.text and "skolskjutsarna i Hok" in extraction.text


def test_a_page_trafilatura_finds_nothing_in_falls_back_to_its_visible_text() -> None:
    page = "<html><body><div>Protokoll § 4</div><script>var x = 1;</script></body></html>".encode()

    extraction = extract_html(page, "https://x.se/", None)

    assert extraction.text == "Protokoll § 4"


def test_ligatures_are_resolved_by_clean_text() -> None:
    extraction = extract_html(article(ligature="\ufb01").encode("utf-8"), "https://x.se/", "utf-8")

    assert "finansiering av gatubelysningen" in extraction.text


def test_hyphenation_across_pdf_lines_is_joined() -> None:
    lines = ["Kommunen ser inget behov av att arbeta med frivillig åter-", "vandring som kommunalt arbetsområde."]

    extraction = extract_pdf(pdf_document("Svar", [lines]), LIMITS)

    assert "frivillig återvandring som kommunalt" in extraction.text


def test_join_pages_keeps_offsets_right_around_empty_pages() -> None:
    text, offsets = join_pages(["Första sidan", "", "Tredje sidan"])

    assert text == "Första sidan\n\nTredje sidan"
    assert offsets == (0, 12, 14)
    assert text[offsets[2]:] == "Tredje sidan"
