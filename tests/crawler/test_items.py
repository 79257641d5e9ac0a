"""From a crawled item to the FetchedDocument storage gets: title and date by priority."""

from __future__ import annotations

from datetime import UTC, date, datetime

from crawler.extraction.extractor import Extraction
from crawler.items import DocumentItem, LinkInfo, fetched_document
from storage.rawstore import sha256

URL = "https://www.vaggeryd.se/download/18.1/1730123456789/protokoll-kf.pdf"
NOW = datetime(2025, 11, 1, 8, 0, tzinfo=UTC)


NO_LINK = LinkInfo()


def item(link: LinkInfo = NO_LINK, pdf_title: str = "", pdf_date: date | None = None,
         last_modified: str | None = None, text: str = "§ 1 Val av justerare") -> DocumentItem:
    extraction = Extraction(text=text, title=pdf_title, pages=(0,), published_on=pdf_date,
                            extractor="pdfminer.six/x")
    return DocumentItem("0665-protocols", URL, b"%PDF-1.4 bytes", "application/pdf", NOW, link=link,
                        last_modified=last_modified, extraction=extraction, content_hash=sha256(b"%PDF-1.4 bytes"))


def test_the_link_text_and_link_date_come_first() -> None:
    document = fetched_document(item(LinkInfo("Protokoll KF 2025-10-28", date(2025, 10, 28)), "KF-protokoll",
                                     date(2025, 11, 4), "Wed, 05 Nov 2025 10:00:00 GMT"))

    assert document.title == "Protokoll KF 2025-10-28" and document.published_on == date(2025, 10, 28)


def test_then_the_pdf_metadata_then_last_modified_then_the_file_name() -> None:
    from_pdf = fetched_document(item(pdf_title="KF-protokoll", pdf_date=date(2025, 11, 4),
                                     last_modified="Wed, 05 Nov 2025 10:00:00 GMT"))
    from_header = fetched_document(item(last_modified="Wed, 05 Nov 2025 10:00:00 GMT"))
    bare = fetched_document(item())

    assert (from_pdf.title, from_pdf.published_on) == ("KF-protokoll", date(2025, 11, 4))
    assert (from_header.title, from_header.published_on) == ("protokoll-kf.pdf", date(2025, 11, 5))
    assert bare.published_on is None


def test_hashes_are_of_the_raw_bytes_and_of_the_clean_text() -> None:
    document = fetched_document(item())

    assert document.content_hash == sha256(b"%PDF-1.4 bytes")
    assert document.text_hash == sha256("§ 1 Val av justerare".encode())
    assert fetched_document(item(text="")).text_hash == ""
