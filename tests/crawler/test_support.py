"""The test support itself: the fixture HTTP server and the SiteVision-shaped site."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from crawler.extraction.extractor import PdfLimits, extract_pdf
from tests.support.httpserver import FixtureServer
from tests.support.sites import SiteVisionSite

SEED = "Vaggeryds kommun tackar nej eftersom kommunen inte ser något behov av att arbeta med frivillig återvandring."


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def served(tmp_path: Path):
    (tmp_path / "index.html").write_text("<html><body>Hej Åsa</body></html>", encoding="utf-8")
    (tmp_path / "gammal.html").write_bytes("<html><body>Översikt för år 2025</body></html>".encode("cp1252"))
    with FixtureServer(tmp_path) as server:
        yield server


def test_files_are_served_with_validators_and_304_on_a_conditional_request(served: FixtureServer) -> None:
    status, headers, body = get(served.url("/"))
    again, _, empty = get(served.url("/"), {"If-None-Match": headers["ETag"]})
    since, _, _ = get(served.url("/"), {"If-Modified-Since": headers["Last-Modified"]})

    assert (status, body) == (200, "<html><body>Hej Åsa</body></html>".encode())
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert (again, empty, since) == (304, b"", 304)
    assert served.requests("/") == 3 and served.full_responses("/") == 1


def test_statuses_and_headers_can_be_set_per_path(served: FixtureServer) -> None:
    served.set_status("/", 503)
    served.set_headers("/gammal.html", {"Content-Type": "text/html"})

    assert get(served.url("/"))[0] == 503
    status, headers, body = get(served.url("/gammal.html"))
    assert headers["Content-Type"] == "text/html" and body.decode("cp1252") == "<html><body>Översikt för år 2025</body></html>"
    assert get(served.url("/saknas.html"))[0] == 404
    assert get(served.url("/../../etc/passwd"))[0] == 404


def test_the_site_is_shaped_like_sitevision(tmp_path: Path) -> None:
    site = SiteVisionSite(tmp_path).build()

    assert site.listing_path.endswith(".html") and ".4." in site.listing_path
    assert all(p.startswith("/download/18.") and p.endswith(".pdf") for p in site.pdf_paths())
    listing = (tmp_path / site.listing_path.lstrip("/")).read_text(encoding="utf-8")
    assert "Möten, handlingar och protokoll" in listing
    assert all(p in listing for p in site.pdf_paths())


def test_swedish_letters_survive_pdfminer(tmp_path: Path) -> None:
    site = SiteVisionSite(tmp_path).build()
    published = site.publish_protocol("Protokoll kommunstyrelsen 2025-11-04", date(2025, 11, 4),
                                      f"§ 7 Svar på interpellation\n\n{SEED}", body_name="Kommunstyrelsen")

    text = extract_pdf((tmp_path / published.path.lstrip("/")).read_bytes(), PdfLimits()).text

    assert SEED in " ".join(text.split())
    assert "SAMMANTRÄDESPROTOKOLL" in text and "Kommunstyrelsen" in text and "Måns Ågren" in text
    assert published.path.endswith("/protokoll-ks-2025-11-04.pdf")
    assert published.path in (tmp_path / site.listing_path.lstrip("/")).read_text(encoding="utf-8")


def test_the_site_is_deterministic(tmp_path: Path) -> None:
    first = SiteVisionSite(tmp_path / "a").build()
    second = SiteVisionSite(tmp_path / "b").build()

    assert first.pdf_paths() == second.pdf_paths()
    assert all((first.root / p.lstrip("/")).read_bytes() == (second.root / p.lstrip("/")).read_bytes()
               for p in first.pdf_paths())
