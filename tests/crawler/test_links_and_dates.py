"""Case tables for the pure link and date rules: a new site quirk becomes a new row."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.dates import date_from_http, date_from_pdf, date_in_text, date_in_url
from crawler.links import (
    domains_of,
    expects_pdf,
    filename_title,
    link_title,
    looks_like_document,
    looks_like_navigation,
    looks_like_protocol_page,
    redact,
    within_domains,
)

D = date(2025, 10, 28)


@pytest.mark.parametrize(("text", "expected"), [
    ("Protokoll KF 2025-10-28 (pdf, 245 kB)", D),
    ("protokoll_20251028", D),
    ("Protokoll KF 251028", D),
    ("Sammanträde 28 oktober 2025", D),
    ("28 okt. 2025", D),
    ("Kommunfullmäktige 2025.10.28", D),
    ("Protokoll kommunfullmäktige 28.10.2025", D),
    ("Protokoll KS 28/10/2025 (pdf)", D),
    ("Sammanträde den 28:e oktober 2025", D),
    ("Protokoll från den 1:a november 2025", date(2025, 11, 1)),
    ("Möte 5.3.2025 kl. 18.00", date(2025, 3, 5)),
    ("31.02.2025", None),
    ("version 1.2.2025.4", None),
    ("§ 46 Motion (KS/2019:121)", None),
    ("Dnr KS 2018/14", None),
    ("2025-13-01", None),
    ("Protokoll 1730123456789", None),
])
def test_dates_in_link_texts(text: str, expected: date | None) -> None:
    assert date_in_text(text) == expected


@pytest.mark.parametrize(("url", "expected"), [
    ("https://x.se/download/18.6a5bf3a2172841d502a38a18/1730123456789/protokoll-kf-2025-10-28.pdf", D),
    ("https://x.se/download/18.6a5b/1730123456789/Protokoll%20KF%20251028.pdf", D),
    ("https://x.se/committees/kommunfullmaktige/mote-2025-10-28/protocol/protokollpdf", D),
    ("https://x.se/download/18.20251028aa/1730123456789/kallelse.pdf", None),
    ("https://x.se/download/18.6a5b/1730123456789/Protokoll%20KF%2028.10.2025.pdf", D),
    ("https://x.se/kommun-och-politik.4.6a5bf3a2172841d502a38a18.html", None),
])
def test_dates_in_urls(url: str, expected: date | None) -> None:
    assert date_in_url(url) == expected


def test_dates_in_pdf_metadata_and_http_headers() -> None:
    assert date_from_pdf("D:20251028143000+01'00'") == D
    assert date_from_pdf("D:2025") is None
    assert date_from_http("Tue, 28 Oct 2025 10:00:00 GMT") == D
    assert date_from_http("igår") is None and date_from_http(None) is None


@pytest.mark.parametrize(("text", "url", "expected"), [
    ("Kommun och politik", "https://x.se/kommun-och-politik.4.1a.html", True),
    ("Möten, handlingar och protokoll", "https://x.se/a.4.1a.html", True),
    ("MÖTEN", "https://x.se/a.4.1a.html", True),
    ("Läs mer", "https://x.se/kommun-och-politik/sammantraden.4.1a.html", True),
    ("Kallelser", "https://x.se/k", True),
    ("", "https://x.se/committees/kommunfullmaktige/mote-2025-10-28", True),
    ("Kommunstyrelsen", "https://x.se/ks", True),
    ("Socialnämnden", "https://x.se/sn", True),
    ("Diariet", "https://x.se/d", True),
    ("Anslagstavla", "https://x.se/anslag", True),
    ("Beslut i korthet", "https://x.se/b", True),
    ("", "https://x.se/politik/M%C3%B6ten", True),
    ("Förskola och skola", "https://x.se/forskola-och-skola.4.1a.html", False),
    ("Evenemang", "https://x.se/remote-work", False),
])
def test_which_links_lead_to_meetings_and_protocols(text: str, url: str, expected: bool) -> None:
    assert looks_like_navigation(text, url) is expected


@pytest.mark.parametrize(("url", "document", "pdf"), [
    ("https://x.se/download/18.1a/1730123456789/protokoll-kf-2025-10-28.pdf", True, True),
    ("https://x.se/media/abc/Protokoll.PDF", True, True),
    ("https://x.se/download/18.1a/1730123456789/bilaga.docx", True, False),
    ("https://x.se/kommun-och-politik.4.1a.html", False, False),
    ("https://x.se/committees/kf/mote-2025-10-28/protocol/protokollpdf", True, True),
])
def test_which_links_are_documents(url: str, document: bool, pdf: bool) -> None:
    assert looks_like_document(url) is document
    assert expects_pdf(url) is pdf


def test_protocol_pages_are_recognised_by_title_or_url() -> None:
    assert looks_like_protocol_page("Protokoll kommunfullmäktige 28 oktober", "https://x.se/a")
    assert looks_like_protocol_page("", "https://x.se/beslut-i-korthet.4.1.html")
    assert not looks_like_protocol_page("Förskola och skola", "https://x.se/forskola")


@pytest.mark.parametrize(("text", "title"), [
    ("  Protokoll KF\n 2025-10-28 (pdf, 245 kB) ", "Protokoll KF 2025-10-28"),
    ("Protokoll KS 2025-11-04 [PDF 1,2 MB]", "Protokoll KS 2025-11-04"),
    ("Ladda ner", ""),
    ("Öppna", ""),
    ("PDF", ""),
])
def test_link_texts_as_titles(text: str, title: str) -> None:
    assert link_title(text) == title


def test_file_names_as_titles() -> None:
    assert filename_title("https://x.se/download/18.1/2/Protokoll%20KF%202025-10-28.pdf") == "Protokoll KF 2025-10-28.pdf"


def test_the_sites_a_source_may_crawl() -> None:
    domains = domains_of(["https://www.vaggeryd.se/kommun-och-politik/", "http://127.0.0.1:8080/"])

    assert domains == ("127.0.0.1", "vaggeryd.se")
    assert within_domains("https://vaggeryd.se/x", domains)
    assert within_domains("https://sammantraden.vaggeryd.se/committees", domains)
    assert within_domains("http://127.0.0.1:8080/download/18.1/2/p.pdf", domains)
    assert not within_domains("https://www.facebook.com/vaggeryd", domains)
    assert not within_domains("https://notvaggeryd.se/", domains)


def test_credentials_never_appear_in_messages() -> None:
    assert redact("https://user:secret@x.se/p.pdf") == "https://x.se/p.pdf"
    assert redact("https://x.se/p.pdf") == "https://x.se/p.pdf"
