"""Text as extraction stores it, and a folded view of it for matching.

`clean_text` is applied once, before a document's text is stored; every offset
the analysis reports indexes that cleaned text.  It first repairs mojibake (a
page decoded twice: "Ã¥tervandring" for "återvandring") with ftfy, so the stored
text is the repaired one; ftfy runs only when a cheap look finds the marks of
UTF-8 read as Latin-1/Windows-1252 ('Ã', 'Â', 'â€'), which correct Swedish text
does not contain.  `fold_in_place` gives a view of the
same length (one character for one character), lower-cased, without
diacritics and with typographic quotes and dashes made plain, so that patterns
can match "Återvandring", "atervandring" and OCR damage alike while evidence
and offsets still refer to the real text.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import cache

import ftfy

_LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st", "\u0132": "IJ", "\u0133": "ij", "\u0152": "OE", "\u0153": "oe",
}
_INVISIBLE = {"\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None}
_ODD_SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n\n", "\f": "\n\n", "\v": "\n"}

_LOWER = "a-zàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"
_SOFT_HYPHEN_BREAK = re.compile(r"\u00ad[ \t]*\n[ \t]*")
# A word hyphenated across lines ("återvand-\nring", "återvandrings-\nbidraget"): a lower-case letter, a
# hyphen at the line end, a lower-case continuation.  Not when the next line opens with a conjunction: that
# hyphen stands for a shared ending ("kommun- och regionnivå", "för- eller nackdelar", "stats- som
# kommunnivå"); nor with a pronoun, article or "att", "är", "inte": no word ends so, the hyphen is a dash
# ("i år- det är…").  A capital or digit before the hyphen ("SD-\nreservationen") keeps it.
_NOT_CONTINUATIONS = (
    "och", "eller", "samt", "som", "till", "utan", "respektive", "resp", "men", "än", "and", "or", "nor", "to",
    "but", "det", "den", "dem", "detta", "denna", "att", "är", "vi", "ni", "jag", "han", "hon", "inte", "the",
)
_HYPHEN_BREAK = re.compile(
    rf"(?<=[{_LOWER}])-[ \t]*\n[ \t]*(?=[{_LOWER}])(?!(?:{'|'.join(_NOT_CONTINUATIONS)})(?![{_LOWER}\w]))"
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SPACES = re.compile(r" {2,}")
_SPACE_AROUND_NEWLINE = re.compile(r" *\n *")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_LINE_BREAK = re.compile("|".join(re.escape(k) for k in _LINE_BREAKS))


_MOJIBAKE_MARKS = ("\u00c3", "\u00c2", "\u00e2\u20ac")  # 'Ã', 'Â', 'â€': UTF-8 lead bytes read as cp1252


def clean_text(text: str) -> str:
    """Normalise extracted text: mojibake, NFC, ligatures, soft hyphens, hyphenation, whitespace.

    Stable (cleaning clean text changes nothing): tidying can turn a sequence ftfy left alone into one it
    repairs ("Â\u00a0" becomes "Â "), so a text is cleaned again, a bounded number of times, until it holds.
    """
    for _ in range(3):
        cleaned = _clean_once(text)
        if cleaned == text:
            break
        text = cleaned
    return text


def _clean_once(text: str) -> str:
    text = unicodedata.normalize("NFC", repair_mojibake(text))
    text = text.translate(_cleaning_table())
    text = _LINE_BREAK.sub(lambda m: _LINE_BREAKS[m.group()], text)
    text = _SOFT_HYPHEN_BREAK.sub("", text).replace("\u00ad", "")
    text = _HYPHEN_BREAK.sub("", text)
    return _tidy_whitespace(_CONTROL.sub(" ", text))


def repair_mojibake(text: str) -> str:
    """UTF-8 that was decoded as Latin-1 or Windows-1252 (once or more) made right; other text unchanged."""
    if not any(mark in text for mark in _MOJIBAKE_MARKS):
        return text
    return ftfy.fix_encoding(text)


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
# Folding runs through Latin-1 bytes and one 256-byte table (C speed); characters beyond
# Latin-1 (typographic quotes and dashes, other scripts) are mapped one for one by an
# encoding error handler, so the folded view always has the text's length.

_WIDE = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u0153": "o", "\u0152": "o", "\u0142": "l", "\u0141": "l", "\u0111": "d", "\u0110": "d", "\u0131": "i",
}
_NARROW = {"\u00f8": "o", "\u00d8": "o", "\u00e6": "a", "\u00c6": "a", "\u00f0": "d", "\u00d0": "d",
           "\u00fe": "t", "\u00de": "t", "\u00ab": '"', "\u00bb": '"', "\u00b4": "'", "`": "'", "\u00a0": " "}
_ERRORS = "kommunvakt-fold"


def fold_in_place(text: str) -> str:
    """The matching view of `text`: same length, lower case, no diacritics, plain quotes."""
    return text.encode("latin-1", _ERRORS).translate(_byte_table()).decode("latin-1")


@cache
def _byte_table() -> bytes:
    return bytes(ord(_fold_char(chr(code))) for code in range(256))


@cache
def _fold_char(ch: str) -> str:
    """One character folded to one Latin-1 character."""
    plain = _WIDE.get(ch) or _NARROW.get(ch)
    if plain:
        return plain
    low = ch.lower()
    if len(low) != 1:
        low = ch
    base = unicodedata.normalize("NFD", low)[:1]
    if base.isascii() and base.isalpha():
        return base
    if ord(low) < 256:
        return low
    return _stand_in(low)


def _stand_in(ch: str) -> str:
    if ch.isalpha() or ch.isdigit() or ch == "_":
        return "x"  # still a word character
    return "\n" if ch in "\u2028\u2029" else " "


def _fold_wide(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeEncodeError)
    run = error.object[error.start:error.end]
    return "".join(_fold_char(ch) for ch in run), error.end


codecs.register_error(_ERRORS, _fold_wide)
