"""Is a PDF's text layer readable?  Broken fonts give text that is there but says nothing.

pdfminer writes ``(cid:123)`` for a character whose font has no usable map to Unicode (a missing or broken
ToUnicode CMap, common in exported council PDFs); Swedish letters are the first to go ("(cid:2)tervandring").
A ToUnicode map that points at the wrong characters gives text that is mostly not letters.  Either way the
document is treated like a scan (crawler.extraction.extractor): read by OCR, or it waits for OCR.
"""

from __future__ import annotations

import re

_CID = re.compile(r"\(cid:\d+\)")
_LETTER = re.compile(r"[^\W\d_]")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_VISIBLE = re.compile(r"\S")

CID_SHARE = 0.01  # (cid:N) codes per letter: å, ä and ö alone are about 4 % of Swedish letters
LETTER_SHARE = 0.5  # below this share of letters and digits among visible characters, the text is garbage
MIN_VISIBLE = 40  # shorter texts (a cover page with a logo) are not judged by their letters


def unreadable_text_layer(text: str) -> str | None:
    """Why `text` (a PDF's extracted text) cannot be read as it is, or None when it can."""
    codes = len(_CID.findall(text))
    rest = _CID.sub("", text) if codes else text
    letters = len(_LETTER.findall(rest))
    if codes and codes / (codes + letters) >= CID_SHARE:
        return f"{codes} characters came out as (cid:N) codes: its fonts have no usable map to Unicode"
    visible = len(_VISIBLE.findall(rest))
    readable = len(_LETTER_OR_DIGIT.findall(rest))
    if visible >= MIN_VISIBLE and readable / visible < LETTER_SHARE:
        return (f"only {100 * readable // visible} % of its characters are letters or digits: its fonts map "
                "characters wrongly")
    return None
