"""Text as extraction stores it, and a folded view of it for matching.

`clean_text` is applied once, before a document's text is stored; every offset
the analysis reports indexes that cleaned text.  `fold` gives a view of the
same length (one character for one character), lower-cased, without
diacritics and with typographic quotes and dashes made plain, so that patterns
can match "Återvandring", "atervandring" and OCR damage alike while evidence
and offsets still refer to the real text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st", "\u0132": "IJ", "\u0133": "ij", "\u0152": "OE", "\u0153": "oe",
}
_INVISIBLE = {"\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None}
_ODD_SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n\n", "\f": "\n\n", "\v": "\n"}

_LOWER = "a-zàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"
_SOFT_HYPHEN_BREAK = re.compile(r"\u00ad[ \t]*\n[ \t]*")
_HYPHEN_BREAK = re.compile(rf"(?<=[{_LOWER}])-[ \t]*\n[ \t]*(?=[{_LOWER}])")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SPACES = re.compile(r" {2,}")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_LINE_BREAK = re.compile("|".join(re.escape(k) for k in _LINE_BREAKS))


def clean_text(text: str) -> str:
    """Normalise extracted text: NFC, ligatures, soft hyphens, hyphenation, whitespace."""
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_cleaning_table())
    text = _LINE_BREAK.sub(lambda m: _LINE_BREAKS[m.group()], text)
    text = _SOFT_HYPHEN_BREAK.sub("", text).replace("\u00ad", "")
    text = _HYPHEN_BREAK.sub("", text)
    return _tidy_whitespace(_CONTROL.sub(" ", text))


def _tidy_whitespace(text: str) -> str:
    text = _SPACES.sub(" ", text)
    text = _SPACE_AROUND_NEWLINE.sub("\n", text)
    return _MANY_NEWLINES.sub("\n\n", text).strip()


@cache
def _cleaning_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(k): v for k, v in _LIGATURES.items()}
    table.update({ord(k): v for k, v in _INVISIBLE.items()})
    table.update({ord(ch): " " for ch in _ODD_SPACES})
    return table


# --- the folded view -----------------------------------------------------------------------

_PLAIN = {
    "ø": "o", "æ": "a", "œ": "o", "ð": "d", "þ": "t", "ł": "l", "đ": "d", "ı": "i",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
}


def fold(text: str) -> str:
    """The matching view of `text`: same length, lower case, no diacritics, plain quotes."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(_lower_one(ch) for ch in text)
    return lowered.translate(_fold_table())


def _lower_one(ch: str) -> str:
    low = ch.lower()
    return low if len(low) == 1 else ch


@cache
def _fold_table() -> dict[int, str]:
    table = {ord(k): v for k, v in _PLAIN.items()}
    for code in range(0xC0, 0x250):
        ch = chr(code)
        if ord(ch) not in table:
            base = _base_letter(ch)
            if base:
                table[code] = base
    return table


def _base_letter(ch: str) -> str | None:
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base = decomposed[:1]
    if len(ch.lower()) == 1 and base.isascii() and base.isalpha() and base != ch:
        return base
    return None
