"""Dates as municipalities write them: in link texts, URLs, file names, PDF metadata and HTTP headers."""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import unquote, urlsplit

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_FIRST_YEAR, _LAST_YEAR = 1990, 2100

_ISO = re.compile(r"(?<!\d)(\d{4})[-_.](\d{1,2})[-_.](\d{1,2})(?!\d)")
_DMY = re.compile(r"(?<![\d./])(\d{1,2})([./])(\d{1,2})\2(\d{4})(?![\d./]\d)")  # 28.10.2025, 28/10/2025
# "28 oktober 2025", "28 okt. 2025", "den 28:e oktober 2025", "1:a november 2025"
_WORDS = re.compile(r"(?<!\d)(\d{1,2})(?::[ae])?\s*([a-zåäö]{3,9})\.?\s+(\d{4})(?!\d)", re.IGNORECASE)
_COMPACT8 = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
_COMPACT6 = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})(?!\d)")
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")


def _valid(year: int, month: int, day: int) -> date | None:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _first(pattern: re.Pattern[str], text: str, build) -> date | None:
    for match in pattern.finditer(text):
        found = build(match)
        if found is not None:
            return found
    return None


def _iso(match: re.Match[str]) -> date | None:
    return _valid(int(match[1]), int(match[2]), int(match[3]))


def _dmy(match: re.Match[str]) -> date | None:
    return _valid(int(match[4]), int(match[3]), int(match[1]))


def _words(match: re.Match[str]) -> date | None:
    month = MONTHS.get(match[2].lower())
    return _valid(int(match[3]), month, int(match[1])) if month else None


def _compact6(match: re.Match[str]) -> date | None:
    return _valid(2000 + int(match[1]), int(match[2]), int(match[3]))


def date_in_text(text: str, compact: bool = True) -> date | None:
    """2025-10-28, 28.10.2025, 28/10/2025, "28 oktober 2025", "den 28:e oktober 2025", and (when `compact`)
    20251028 or 251028 in free text."""
    found = _first(_ISO, text, _iso) or _first(_DMY, text, _dmy) or _first(_WORDS, text, _words)
    if found or not compact:
        return found
    return _first(_COMPACT8, text, _iso) or _first(_COMPACT6, text, _compact6)


def date_in_url(url: str) -> date | None:
    """A date in the file name (any form), else an ISO date anywhere in the path."""
    path = unquote(urlsplit(url).path)
    filename = path.rstrip("/").rsplit("/", 1)[-1]
    return date_in_text(filename) or date_in_text(path, compact=False)


def date_from_pdf(value: str) -> date | None:
    """PDF metadata dates look like D:20251028143000+01'00'."""
    match = _PDF_DATE.match(value.strip())
    if not match or not match[2] or not match[3]:
        return None
    return _valid(int(match[1]), int(match[2]), int(match[3]))


def date_from_http(value: str | None) -> date | None:
    """An HTTP date header (Last-Modified) as a date; None when absent or unreadable."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return _valid(parsed.year, parsed.month, parsed.day)
