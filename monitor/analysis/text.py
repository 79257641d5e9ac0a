"""The shape of a text as spans of offsets: sentences, clauses, § items, reservations.

Everything here returns offsets into the text it was given; nothing is copied
or changed, so a span is always a verbatim substring.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from monitor.analysis.patterns import to_folded

Span = tuple[int, int]

# Full stops that do not end a sentence: "bl.a. Vimmerby", "t.ex.", "A. Svensson".
_ABBREVIATIONS = (
    "bl.a", "t.ex", "m.m", "s.k", "d.v.s", "dvs", "ca", "jfr", "resp", "nr", "kl", "st", "mr", "mrs", "ms", "dr",
    "prof", "e.g", "i.e", "vs", "dir", "prop", "sfs", "tel", "kap", "fig", "ang", "inkl", "exkl", "ev", "osv", "bla",
    "tex", "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "oct", "nov", "dec",
)
# After a word longer than every abbreviation none can end: the boundary regex checks that first.
_LONGER_THAN_ABBREVIATIONS = max(len(a) for a in _ABBREVIATIONS) + 1
_NOT_AFTER = "".join(  # one lookbehind per length of abbreviation: `re` wants a fixed width
    r"(?<!\b(?:" + "|".join(re.escape(a) for a in group) + r")\.)"
    for group in (
        sorted({a for b in _ABBREVIATIONS for a in (b, b.capitalize()) if len(a) == size})
        for size in sorted({len(a) for a in _ABBREVIATIONS})
    )
) + r"(?<!\b[^\W\d_]\.)"  # an initial
_OPENER = r"[\"'“”‘’«(\[–—•\-*·]*[ \t]*[A-ZÅÄÖÆØÉÈÜ|]"  # "|": what OCR makes of a capital I
# Sentence ends, found by one regex that opens with the character class of what can end a
# sentence (so that `re` skips everything else at C speed): a full stop (not after an
# abbreviation), ! ? …, then a capital or a line end; or a line break before a blank line, after
# a colon or a quote, or before a list item or a §.  A short line before a capital (a heading)
# is found by `_HEADING_END` and its length checked in Python.
_BOUNDARY = re.compile(
    r"[.!?…\n](?:"
    r"(?<=[.!?…])(?>(?<=[^\W\d_]{" + str(_LONGER_THAN_ABBREVIATIONS) + r"}\.)|(?<=\.)" + _NOT_AFTER + r"|(?<=[!?…]))[.!?…]*[\"'”’»)\]]*(?=[ \t]*(?:\n|$)|\s+" + _OPENER + ")"
    r"|(?<=\n)(?:(?=[ \t]*\n)|(?<=[:;\"”»]\n)|(?=[ \t]*(?:[•\-–—*·]|\d{1,2}[.)]\s|[a-z][.)]\s|§))))"
)
class _LineRegex:
    """A regex that matches only at line starts, found fast: ``(?m)^…`` makes `re` try every position,
    a leading line break lets it skip to the next one at C speed."""

    def __init__(self, body: str, flags: int = 0):
        self.at = re.compile(body, re.M | flags)
        self.after_newline = re.compile("\n(?:" + body + ")", re.M | flags)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        first = self.at.match(text)
        if first:
            yield first
        for match in self.after_newline.finditer(text):
            again = self.at.match(text, match.start() + 1)
            if again:
                yield again

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        """A match at `pos`, which must be a line start."""
        return self.at.match(text, pos)


_TRIMMED = re.compile(r"\s*+(\S(?:.*\S)?)?", re.S)  # a segment without the whitespace around it
# "Foto:", "Bild /", "Photo:": a caption marker (as spelled; the word may be part of a longer one).
_CAPTION_WORDS = ("Foto", "foto", "FOTO", "Bild", "bild", "Bildtext", "bildtext", "BILD", "Photo", "photo", "PHOTO",
                  "Image", "image", "Illustration", "illustration")
# A caption word right before its mark ("Foto:", "Bild /"), found by a regex that opens with the words'
# first letters, so that `re` skips to them.
_CAPTION_WORD_MARK = re.compile("(?:" + "|".join(re.escape(w) for w in _CAPTION_WORDS) + ")[ \t]*[/:]")
_CAPTION_LINE = re.compile(
    r"(?im)(?:^|(?<=\n))[ \t]*(?:foto|bild|photo|image|bildtext|illustration)(?:[ \t]*/[ \t]*\w+)?[ \t]*:[^\n]*"
)
# Reader comments after an article: a heading for them, or the signature lines of commenters.
_COMMENTS_HEADING = _LineRegex(
    r"[ \t]*(?:\d+[ \t]+)?(?:kommentarer|läsarkommentarer|comments|reader comments|visa kommentarer"
    r"|kommentera|skriv en kommentar|leave a comment)[ \t]*(?:\(\d+\))?[ \t]*:?[ \t]*$",
    re.I,
)
_SIGNING_WORDS = ("skriver", "svarar", "wrote", "writes", "says")  # "Anna skriver:"
_COLON = re.compile(":")
# "2024-03-01 kl. 10.15", found from its first hyphen (a regex that opens with a digit tries every digit).
_TIMESTAMP = re.compile(r"-(?<=\d{4}-)\d{2}-\d{2}[ \t]+(?:kl\.?[ \t]*)?\d{1,2}[:.]\d{2}")
_COMMENTER = _LineRegex(
    r"[ \t]*(?:[A-ZÅÄÖ][\w.-]*(?:[ \t]+[A-ZÅÄÖ][\w.-]*)?[ \t]+(?:skriver|svarar|wrote|writes|says)[ \t]*:"
    r"|[^\n]{0,40}\b\d{4}-\d{2}-\d{2}[ \t]+(?:kl\.?[ \t]*)?\d{1,2}[:.]\d{2}[ \t]*$)"
)
_BLANK_GAP = re.compile(r"\n[ \t]*\n\s*")  # a blank line (or more) and the indentation after it
_HEADING_END = re.compile(r"\n(?=" + _OPENER + ")")
_HEADING_LINE_MAX = 40
_LIST_OPENER = re.compile(r"[ \t]*(?:[•\-–—*·]|\d{1,2}[.)]\s|[a-z][.)]\s|§)")
_HEADING_MAX = 40

_CONTRAST = r"(?:medan|men|while|whereas|but|although|though|fast|even if|även om)\s"
_CLAUSE_BREAK = re.compile(  # opens with a character class, so that `re` skips to commas and spaces at C speed
    r"[,;\s](?:(?<=,)\s*" + _CONTRAST + r"|(?<=;)|(?<=\s)" + _CONTRAST + ")"
)
_ITEM = _LineRegex(r"[ \t]*§[ \t]*\d+")
_RESERVATION_HEAD = _LineRegex("[ \t]*" + to_folded(
        r"(?:reservation(?:er)?|särskil(?:t|d) (?:uttalande|yttrande|mening)|protokollsanteckning(?:ar)?"
        r"|skiljaktig mening)(?: av [^\n]*| m\.?m\.?)?"
    ) + r"[ \t]*$"
)
_HEADING_LINE = _LineRegex(r"[ \t]*[A-ZÅÄÖÆØÉÈÜ][^\n]{0," + str(_HEADING_MAX) + "}$")
_RESERVATION_MARKERS = ("reserv", "uttalande", "yttrande", "mening", "protokollsanteckning")
_DECISION_HEAD = _LineRegex("[ \t]*" + to_folded(
    r"(?:§ ?\d|beslut(?:sgång|et)?[ \t]*(?::|$)|förslag till beslut|kommunfullmäktiges beslut|kommunstyrelsens beslut"
    r"|ärendet[ \t]*$)"
))


@dataclass
class TextShape:
    """Sentence, § item and reservation spans of one text (computed on first use).

    Sentences are only split where the analysis looks: the whole text, or the
    `regions` set by `focus` (the paragraphs around the topic's mentions).
    """

    text: str
    folded: str
    regions: list[Span] = field(default_factory=list)
    _clauses: dict[Span, list[Span]] = field(default_factory=dict, repr=False)
    _sentences_of: dict[int, list[Span]] = field(default_factory=dict, repr=False)
    _starts_of: dict[int, list[int]] = field(default_factory=dict, repr=False)
    # Where a topic's patterns may match (see `Topic.starts`), by the id of the topic's prefilter.
    prefiltered: dict[int, dict[str, list[int]]] = field(default_factory=dict, repr=False)

    def focus(self, positions: list[int], reach: int) -> None:
        """Look only within `reach` of these positions (and their § item), widened to whole paragraphs."""
        regions: list[Span] = []
        last_item = -1
        for pos in positions:  # in text order
            item = self.item_of(pos)
            if item == last_item and regions and pos + reach <= regions[-1][1]:
                continue  # its window is inside the region the position before opened
            last_item = item
            item_start, item_end = self.item_bounds(pos)
            start = max(self._paragraph_start(pos - reach), item_start)
            end = min(self._paragraph_end(pos + reach), item_end)
            if regions and start <= regions[-1][1]:
                regions[-1] = (regions[-1][0], max(end, regions[-1][1]))
            else:
                regions.append((start, end))
        self.regions = regions

    def item_bounds(self, pos: int) -> Span:
        i = self.item_of(pos)
        starts = self.item_starts
        return (starts[i - 1] if i > 0 else 0), (starts[i] if i < len(starts) else len(self.text))

    def _paragraph_start(self, pos: int) -> int:
        return 0 if pos <= 0 else self.text.rfind("\n\n", 0, pos) + 1

    def _paragraph_end(self, pos: int) -> int:
        found = self.text.find("\n\n", pos) if pos < len(self.text) else -1
        return len(self.text) if found == -1 else found

    def looked_at(self) -> list[Span]:
        return self.regions or [(0, len(self.text))]

    # Sentences are split per block (a paragraph of a looked-at region) on first use: most blocks of a
    # long text never hold a mention or a cue.  A sentence never runs over a blank line, so the blocks
    # split the text where a whole-text split would cut it too.

    @cached_property
    def _blocks(self) -> list[Span]:
        blocks: list[Span] = []
        for start, end in self.looked_at():
            cut = start
            found = self.text.find("\n\n", start, end)
            while found != -1:
                if not continues_across(self.text, found):
                    blocks.append((cut, found + 1))
                    cut = found + 1
                found = self.text.find("\n\n", found + 2, end)
            blocks.append((cut, end))
        return blocks

    @cached_property
    def _block_starts(self) -> list[int]:
        return [start for start, _ in self._blocks]

    def _block_sentences(self, block: int) -> list[Span]:
        found = self._sentences_of.get(block)
        if found is None:
            found = self._sentences_of[block] = sentence_spans(self.text, *self._blocks[block])
            self._starts_of[block] = [start for start, _ in found]
        return found

    @property
    def sentences(self) -> list[Span]:
        """All sentences where the analysis looks (splits every block: for tests and tools, not the analysis)."""
        return [span for block in range(len(self._blocks)) for span in self._block_sentences(block)]

    def _locate(self, pos: int) -> tuple[int, int] | None:
        """(block, index in it) of the sentence containing `pos`, or the nearest before it, else the first."""
        block = max(bisect.bisect_right(self._block_starts, pos) - 1, 0)
        self._block_sentences(block)
        index = bisect.bisect_right(self._starts_of[block], pos) - 1
        if index >= 0:
            return block, index
        before = self._step(block, -1)
        if before is not None:
            return before
        return self._step(block - 1, 1)

    def _step(self, block: int, direction: int) -> tuple[int, int] | None:
        """The last sentence of the nearest non-empty block before (`direction` -1) or the first after (1)."""
        block += direction
        while 0 <= block < len(self._blocks):
            sentences = self._block_sentences(block)
            if sentences:
                return block, (len(sentences) - 1 if direction < 0 else 0)
            block += direction
        return None

    def find_sentence(self, pos: int) -> Span | None:
        """The sentence containing (or nearest before, else the first after) `pos`; None without sentences."""
        found = self._locate(pos)
        return self._block_sentences(found[0])[found[1]] if found else None

    def sentence_at(self, pos: int) -> Span:
        """`find_sentence`, or the whole text when it has no sentence."""
        return self.find_sentence(pos) or (0, len(self.text))

    def next_sentence(self, pos: int) -> Span | None:
        """The sentence after the one `sentence_at(pos)` gives."""
        found = self._locate(pos)
        if found is None:
            return None
        block, index = found
        sentences = self._block_sentences(block)
        if index + 1 < len(sentences):
            return sentences[index + 1]
        after = self._step(block, 1)
        return self._block_sentences(after[0])[after[1]] if after else None

    def sentences_before(self, pos: int, count: int) -> list[Span]:
        """Up to `count` sentences before the one `sentence_at(pos)` gives, nearest first."""
        found = self._locate(pos)
        before: list[Span] = []
        while found is not None and len(before) < count:
            block, index = found
            found = (block, index - 1) if index > 0 else self._step(block, -1)
            if found is not None:
                before.append(self._block_sentences(found[0])[found[1]])
        return before

    def clauses(self, sentence: Span) -> list[Span]:
        found = self._clauses.get(sentence)
        if found is None:
            found = self._clauses[sentence] = clause_spans(self.folded, sentence)
        return found

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

    @cached_property
    def comments_start(self) -> int:
        """Where reader comments after an article begin (the text's length when it has none)."""
        return comments_start(self.text)

    def in_comments(self, pos: int) -> bool:
        return pos >= self.comments_start

    def in_reservation(self, pos: int) -> bool:
        reservations = self.reservations
        return bool(reservations) and any(start <= pos < end for start, end in reservations)


# --- sentences -----------------------------------------------------------------------------


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of text[start:end] as (start, end) offsets into `text`, trimmed of whitespace."""
    end = len(text) if end is None else end
    cuts = [start, *_cuts(text, start, end), end]
    spans = []
    for cut, next_cut in zip(cuts, cuts[1:], strict=False):
        trimmed = _TRIMMED.match(text, cut, next_cut)
        if trimmed.start(1) != -1:
            spans.append(trimmed.span(1))
    return spans


def _cuts(text: str, start: int, end: int) -> list[int]:
    """Where sentences end; a heading line is one sentence, whatever full stops it holds."""
    headings = _headings(text, start, end)
    cuts = [m.end() for m in _BOUNDARY.finditer(text, start, end)
            if not (text[m.end() - 1] == "\n" and continues_across(text, m.end() - 1))]
    captions = _captions(text, start, end)
    if not headings and not captions:
        return cuts
    return sorted({*_outside_lines(cuts, headings), *(newline + 1 for _, newline in headings), *captions})


def _headings(text: str, start: int, end: int) -> list[Span]:
    """(line start, line break) of short lines followed by a capital."""
    found = []
    for match in _HEADING_END.finditer(text, start, end):
        newline = match.start()
        line_start = text.rfind("\n", 0, newline) + 1
        if (line_start >= start and 0 < newline - line_start <= _heading_max(text, line_start, newline)
                and not (text[line_start] in ".!?…" and _BOUNDARY.match(text, line_start, end))):
            found.append((line_start, newline))
    return found


def continues_across(text: str, newline: int) -> bool:
    """Whether a sentence goes on over the blank line(s) at `newline`: easy-Swedish articles set one
    phrase per line, with blank lines between ("Kommunen säger nej\n\ntill samordnaren.").  It does when
    the line before ends without final punctuation and the next line opens in lower case (not a list item)."""
    gap = _BLANK_GAP.match(text, newline)
    if gap is None or gap.end() >= len(text) or not text[gap.end()].islower() or _LIST_OPENER.match(text, gap.end()):
        return False
    before = text[max(0, newline - 200):newline].rstrip()
    return bool(before) and before[-1] not in _SENTENCE_FINAL


def paragraph_break_in(text: str, start: int, end: int) -> bool:
    """A blank line in text[start:end] that ends a paragraph (not one a sentence goes on over)."""
    found = text.find("\n\n", start, end)
    while found != -1:
        if not continues_across(text, found):
            return True
        found = text.find("\n\n", found + 2, end)
    return False


def _heading_max(text: str, line_start: int, newline: int) -> int:
    """How long a heading line may be: a first line without final punctuation is a headline, however long."""
    if text[newline - 1] in _SENTENCE_FINAL or text[:line_start].strip():
        return _HEADING_LINE_MAX
    return _HEADLINE_MAX


def _captions(text: str, start: int, end: int) -> list[int]:
    """The bounds of photo caption lines ("Foto: …", "Bild: …"): a caption is no part of a sentence."""
    if not _CAPTION_WORD_MARK.search(text, start, end):
        return []
    bounds = []
    for match in _CAPTION_LINE.finditer(text, start, end):
        bounds += [match.start(), match.end()]
    return bounds


def _word_before_mark(text: str, words: tuple[str, ...], marks: re.Pattern[str], start: int, end: int) -> bool:
    """Whether one of `words` ends right before a mark (spaces or tabs between) in text[start:end].

    Found from the marks, which are rare, rather than by a regex that tries the words at every letter.
    """
    for mark in marks.finditer(text, start, end):
        word_end = mark.start()
        while word_end > start and text[word_end - 1] in " \t":
            word_end -= 1
        if text.endswith(words, start, word_end):
            return True
    return False


def _outside_lines(cuts: list[int], lines: list[Span]) -> list[int]:
    """The cuts that do not fall inside one of `lines` (after its first character, up to its line break)."""
    kept, i, count = [], 0, len(lines)
    for cut in cuts:
        while i < count and lines[i][1] < cut:
            i += 1
        if i == count or not lines[i][0] < cut <= lines[i][1]:
            kept.append(cut)
    return kept




_SENTENCE_FINAL = ".!?…:;\"”»)"
_HEADLINE_MAX = 160


def is_headline(text: str, span: Span) -> bool:
    """A line of its own without final punctuation, followed by more text: a headline or a subheading."""
    start, end = span
    if end - start > _HEADLINE_MAX or end >= len(text) or text[end - 1] in _SENTENCE_FINAL:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return (line_end != -1 and "\n" not in text[start:end] and not text[line_start:start].strip()
            and not text[end:line_end].strip() and bool(text[line_end:].strip()))


def comments_start(text: str) -> int:
    """A "Kommentarer" heading, else the first of two or more commenter lines ("Anna skriver:", a timestamp)."""
    heading = next(_COMMENTS_HEADING.finditer(text), None)
    if heading is not None and heading.start() > 0:
        return heading.start()
    if not (_word_before_mark(text, _SIGNING_WORDS, _COLON, 0, len(text)) or _TIMESTAMP.search(text)):
        return len(text)
    signatures = [m.start() for m in _COMMENTER.finditer(text)]
    return signatures[0] if len(signatures) >= 2 and signatures[0] > 0 else len(text)


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
    heads = [h for h in _RESERVATION_HEAD.finditer(folded) if ", se " not in h.group()]
    if not heads:
        return []
    ends = _section_breaks(text, folded)
    return [(head.start(), _next_break(ends, head.end(), len(text))) for head in heads]


def _section_breaks(text: str, folded: str) -> list[int]:
    """Line starts that end a reservation: a heading or a decision, unless it opens another reservation."""
    breaks = {m.start() for m in _DECISION_HEAD.finditer(folded)}
    breaks |= {m.start() for m in _HEADING_LINE.finditer(text) if _is_heading(m.group())}
    return sorted(b for b in breaks if not _RESERVATION_HEAD.match(folded, b))


def _next_break(breaks: list[int], pos: int, default: int) -> int:
    i = bisect.bisect_right(breaks, pos)
    return breaks[i] if i < len(breaks) else default


def _is_heading(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > _HEADING_MAX or stripped[-1] in ".,;:":
        return False
    return stripped[0].isupper() and not _LIST_OPENER.match(stripped)
