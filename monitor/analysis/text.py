"""The shape of a text as spans of offsets: sentences, clauses, § items, reservations.

Everything here returns offsets into the text it was given; nothing is copied
or changed, so a span is always a verbatim substring.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from monitor.analysis.patterns import WordIndex, to_folded

Span = tuple[int, int]

_ABBREVIATIONS = frozenset(
    "bl t.ex ex m.m mm s.k sk d.v.s dvs ca jfr resp nr kl st mr mrs ms dr prof e.g i.e vs dir prop sfs tel "
    "kap fig ang inkl exkl ev osv bla tex etc no jan feb mar apr jun jul aug sep sept okt oct nov dec".split()
)
_OPENER = r"[\"'“”‘’«(\[–—•\-*·]*[ \t]*[A-ZÅÄÖÆØÉÈÜ|]"  # "|": what OCR makes of a capital I
_BOUNDARY = re.compile(
    r"(?P<stop>[.!?…]+[\"'”’»)\]]*)(?=[ \t]*(?:\n|$)|\s+" + _OPENER + ")"  # punctuation, then a capital or line end
    r"|\n(?=[ \t]*\n)"  # a blank line
    r"|(?<=[:;\"”»])\n"  # a line that ends in a colon or a quote
    r"|\n(?=[ \t]*(?:[•\-–—*·]|\d{1,2}[.)]\s|[a-z][.)]\s|§))"  # a list item or a § on the next line
    r"|(?m:^[^\n]{1,40})\n(?=" + _OPENER + ")"  # a short line (a heading) before a capital
)
_LIST_OPENER = re.compile(r"[ \t]*(?:[•\-–—*·]|\d{1,2}[.)]\s|[a-z][.)]\s|§)")
_WORD_BEFORE = re.compile(r"([\w.]+)\.+$")
_HEADING_MAX = 40

_CLAUSE_BREAK = re.compile(
    r"(?:,\s*|\s)(?:medan|men|while|whereas|but|although|though|fast|even if)\s|;|(?:,\s*|\s)(?:även om)\s"
)
_ITEM = re.compile(r"(?m)^[ \t]*§[ \t]*\d+")
_RESERVATION_HEAD = re.compile(
    "(?m)^[ \t]*" + to_folded(
        r"(?:reservation(?:er)?|särskil(?:t|d) (?:uttalande|yttrande|mening)|protokollsanteckning(?:ar)?"
        r"|skiljaktig mening)(?: av [^\n]*| m\.?m\.?)?"
    ) + r"[ \t]*$"
)
_RESERVATION_MARKERS = ("reserv", "uttalande", "yttrande", "mening", "protokollsanteckning")
_DECISION_HEAD = re.compile("(?m)^[ \t]*" + to_folded(
    r"(?:§ ?\d|beslut(?:sgång|et)?[ \t]*(?::|$)|förslag till beslut|kommunfullmäktiges beslut|kommunstyrelsens beslut"
    r"|ärendet[ \t]*$)"
))


@dataclass
class TextShape:
    """Sentence, § item and reservation spans of one text (computed on first use)."""

    text: str
    folded: str

    @cached_property
    def words(self) -> WordIndex:
        return WordIndex.of(self.folded)

    @cached_property
    def sentences(self) -> list[Span]:
        return sentence_spans(self.text)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s for s, _ in self.sentences]

    def sentence_index(self, pos: int) -> int:
        """Index of the sentence containing (or nearest before) `pos`."""
        return max(bisect.bisect_right(self._sentence_starts, pos) - 1, 0)

    def sentence_at(self, pos: int) -> Span:
        if not self.sentences:
            return (0, len(self.text))
        return self.sentences[self.sentence_index(pos)]

    @cached_property
    def item_starts(self) -> list[int]:
        return [m.start() for m in _ITEM.finditer(self.text)] if "§" in self.text else []

    def item_of(self, pos: int) -> int:
        return bisect.bisect_right(self.item_starts, pos)

    @cached_property
    def reservations(self) -> list[Span]:
        if not any(marker in self.folded for marker in _RESERVATION_MARKERS):
            return []
        return reservation_spans(self.text, self.folded)

    def in_reservation(self, pos: int) -> bool:
        return any(start <= pos < end for start, end in self.reservations)


# --- sentences -----------------------------------------------------------------------------


def sentence_spans(text: str) -> list[Span]:
    """Sentences of `text` as (start, end), trimmed of surrounding whitespace."""
    cuts = [0, *(m.end() for m in _BOUNDARY.finditer(text) if not _is_abbreviation(text, m)), len(text)]
    spans = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        span = _trim(text, start, end)
        if span:
            spans.append(span)
    return spans


def _is_abbreviation(text: str, boundary: re.Match[str]) -> bool:
    """"bl.a. Vimmerby", "A. Svensson": a full stop that does not end the sentence."""
    stop = boundary.group("stop")
    if not stop or stop[0] != "." or len(stop) > 2 or text.startswith("\n", boundary.end()):
        return False
    before = _WORD_BEFORE.search(text, max(0, boundary.start() - 12), boundary.start() + 1)
    if not before:
        return False
    word = before.group(1).lower().strip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


# --- clauses -------------------------------------------------------------------------------


def clause_spans(folded: str, sentence: Span) -> list[Span]:
    """Clauses of one sentence, split at contrast ("medan", "but") and semicolons."""
    start, end = sentence
    cuts = sorted({start, *(m.start() for m in _CLAUSE_BREAK.finditer(folded, start, end))})
    return [(a, b) for a, b in zip(cuts, [*cuts[1:], end], strict=False) if b > a]


def clause_at(clauses: list[Span], pos: int) -> int:
    starts = [s for s, _ in clauses]
    return max(bisect.bisect_right(starts, pos) - 1, 0)


# --- reservations --------------------------------------------------------------------------


def reservation_spans(text: str, folded: str) -> list[Span]:
    """Sections that hold a party's reservation or special statement, up to the next heading."""
    spans = []
    for head in _RESERVATION_HEAD.finditer(folded):
        if ", se " in head.group():
            continue
        spans.append((head.start(), _section_end(text, folded, head.end())))
    return spans


def _section_end(text: str, folded: str, pos: int) -> int:
    for line_start, line in _lines_after(text, pos):
        if _RESERVATION_HEAD.match(folded, line_start):
            continue
        if _is_heading(line) or _DECISION_HEAD.match(folded, line_start):
            return line_start
    return len(text)


def _lines_after(text: str, pos: int):
    start = text.find("\n", pos)
    while start != -1:
        end = text.find("\n", start + 1)
        line_end = len(text) if end == -1 else end
        yield start + 1, text[start + 1:line_end]
        start = end


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > _HEADING_MAX or stripped[-1] in ".,;:":
        return False
    return stripped[0].isupper() and not _LIST_OPENER.match(stripped)
