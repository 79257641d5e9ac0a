"""Patterns as topic and vocabulary files write them, compiled for the folded view.

A pattern is a regular expression written in lower case, with Swedish letters
as they are spelled.  Compiled, it matches the folded text (see
`normalise.fold`):

- å, ä and ö also match what OCR makes of them: a plain vowel, "&", "d", "6", "0"
  ("&tervandring", "6ka", "féljande" -> "feljande");
- a space matches any run of whitespace, line breaks included;
- a pattern only matches whole words (it may end in ``\\w*`` to take inflections).

Many patterns are compiled into one `Alternation`: a regex shaped as a trie
on the patterns' first characters (Python's `re` tries the alternatives of a
group one by one, but skips at once one that opens with a character that does
not fit; leading groups such as ``(?:säger|sa|sade) nej`` are expanded so that
every alternative opens with a character), and the set of word openings the
patterns can start with.  A text is split into words once (`WordIndex`); the
regex is then tried only at the words whose opening is in that set, found with
set lookups at C speed, instead of at every position of the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, compress
from operator import itemgetter, or_

_SWEDISH_VOWEL = "aeo&d60"
_OUTSIDE = {"å": f"[{_SWEDISH_VOWEL}]", "ä": f"[{_SWEDISH_VOWEL}]", "ö": f"[{_SWEDISH_VOWEL}]", " ": r"\s+"}
_INSIDE = {"å": _SWEDISH_VOWEL, "ä": _SWEDISH_VOWEL, "ö": _SWEDISH_VOWEL}
_START = r"(?<![\w&])"
_END = r"(?!\w)"
_TRIE_DEPTH = 6
_EXPANSION_LIMIT = 200
_QUANTIFIERS = ("?", "*", "+", "{")
_KEY = 6  # a word's opening: its first six characters (or the whole word when shorter)
_WORD_SPLIT = re.compile(r"([^\w&]+)")
_OPENINGS = [itemgetter(slice(0, n)) for n in range(_KEY + 1)]


def to_folded(pattern: str) -> str:
    """Rewrite one readable pattern into a regular expression over the folded view."""
    out: list[str] = []
    in_class = escaped = False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        else:
            out.append(_INSIDE.get(ch, ch) if in_class else _OUTSIDE.get(ch, ch))
            in_class = (in_class and ch != "]") or (not in_class and ch == "[")
    return "".join(out)


def suffix_variants(suffixes: Iterable[str]) -> tuple[str, ...]:
    """Plain word endings in their folded spellings, OCR variants of å/ä/ö included."""
    variants = [""]
    out: list[str] = []
    for suffix in suffixes:
        variants = [""]
        for ch in suffix:
            choices = _INSIDE.get(ch, ch)
            variants = [v + c for v in variants for c in choices]
        out += variants
    return tuple(out)


def word_pattern(patterns: Iterable[str]) -> str:
    """One whole-word alternation of readable patterns, as regex source."""
    return _START + "(?:" + "|".join(to_folded(p) for p in patterns) + ")" + _END


@dataclass(frozen=True)
class WordIndex:
    """The words of a folded text (runs of word characters and "&") and where each starts."""

    words: list[str]
    starts: list[int]

    @classmethod
    def of(cls, folded: str) -> WordIndex:
        parts = _WORD_SPLIT.split(folded)
        offsets = [0, *accumulate(map(len, parts))]
        return cls(parts[0::2], offsets[0::2])

    def between(self, start: int, end: int) -> tuple[int, int]:
        """Indexes [lo, hi) of the words that start in [start, end)."""
        return bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)


@dataclass(frozen=True)
class Alternation:
    """Groups of patterns compiled into one regex; `group_of(match)` tells which group matched."""

    regex: re.Pattern[str]
    groups: dict[str, int]
    openings: frozenset[str] = frozenset()  # word openings (first six letters, or short whole words)
    partial: tuple[frozenset[str], ...] = field(default=())  # openings shorter than a key: by length
    anywhere: bool = False  # some pattern may start with any word

    def group_of(self, match: re.Match[str]) -> int:
        return self.groups[match.lastgroup or ""]

    def finditer(self, folded: str, index: WordIndex, start: int = 0, end: int | None = None
                 ) -> Iterator[re.Match[str]]:
        """Non-overlapping matches in folded[start:end], tried only at candidate words."""
        end = len(folded) if end is None else end
        last_end = -1
        for pos in self._candidates(index, start, end):
            if pos >= last_end:
                match = self.regex.match(folded, pos, end)
                if match:
                    last_end = match.end()
                    yield match

    def _candidates(self, index: WordIndex, start: int, end: int) -> Iterable[int]:
        lo, hi = index.between(start, end)
        starts = index.starts[lo:hi]
        if self.anywhere:
            return starts
        words = index.words[lo:hi]
        flags = map(self.openings.__contains__, map(_OPENINGS[_KEY], words))
        for length, openings in enumerate(self.partial):
            if openings:
                flags = map(or_, flags, map(openings.__contains__, map(_OPENINGS[length], words)))
        return compress(starts, flags)


def compile_groups(groups: Sequence[Iterable[str]]) -> Alternation:
    """Compile groups of readable patterns into one whole-word trie regex with its word openings."""
    entries = [(index, to_folded(pattern)) for index, group in enumerate(groups) for pattern in group]
    names: dict[str, int] = {}
    body = _trie(entries, names, _TRIE_DEPTH)
    regex = re.compile(_START + "(?:" + body + ")" + _END)
    return Alternation(regex, names, *_openings(pattern for _, pattern in entries))


def compile_words(patterns: Iterable[str]) -> re.Pattern[str]:
    """Compile readable patterns into one whole-word regex, for searching short spans."""
    names: dict[str, int] = {}
    return re.compile(_START + "(?:" + _trie([(0, to_folded(p)) for p in patterns], names, _TRIE_DEPTH) + ")" + _END)


# --- word openings -------------------------------------------------------------------------


def _openings(patterns: Iterable[str]) -> tuple[frozenset[str], tuple[frozenset[str], ...], bool]:
    full: set[str] = set()
    partial: list[set[str]] = [set() for _ in range(_KEY)]
    for pattern in patterns:
        for opening, complete in _walk(pattern, ""):
            if complete:
                full.add(opening)
            else:
                partial[len(opening)].add(opening)
    anywhere = bool(partial[0])
    return frozenset(full), tuple(frozenset(p) for p in partial), anywhere


def _walk(pattern: str, prefix: str) -> Iterator[tuple[str, bool]]:
    """(opening, complete): what a match of `pattern` after `prefix` opens its first word with.

    Complete: the first six characters, or the whole word when it ends sooner; not
    complete: a prefix after which anything may follow.
    """
    if len(prefix) >= _KEY:
        yield prefix[:_KEY], True
        return
    for expanded in _expand_head(pattern):
        yield from _walk_atom(expanded, prefix)


def _walk_atom(pattern: str, prefix: str) -> Iterator[tuple[str, bool]]:
    if not pattern or pattern.startswith(("(?!\\w)", "\\s", "\\b", "\\W")):
        yield prefix, True  # the word ends here
        return
    if pattern.startswith(("(?!", "(?=", "(?<")):
        yield from _walk(pattern[_matching_paren(pattern) + 1:], prefix)  # a lookaround consumes nothing
        return
    head = _head(pattern) or _head_repeated(pattern)
    if head is None:
        yield prefix, False
        return
    atom, rest = head
    for ch in _atom_chars(atom):
        if ch is None:
            yield prefix, False
        elif not (ch.isalnum() or ch in "_&"):
            yield prefix, True
        else:
            yield from _walk(rest, prefix + ch)


def _head_repeated(pattern: str) -> tuple[str, str] | None:
    """``x+rest``: x once, then anything (an open prefix)."""
    if not pattern or pattern[0] in "().|^$?*+{":
        return None
    size = 2 if pattern[0] == "\\" else _class_end(pattern) + 1 if pattern[0] == "[" else 1
    return (pattern[:size], ".*") if pattern[size:size + 1] == "+" else None


def _atom_chars(atom: str) -> list[str | None]:
    """The characters an atom stands for; None for "any of many" (\\w, \\S, a negated class)."""
    if atom.startswith("\\"):
        return [atom[1]] if not atom[1].isalnum() else [None]
    if atom.startswith("[") and not atom.startswith("[^") and "\\" not in atom and "-" not in atom[2:-1]:
        return list(atom[1:-1])
    if atom.startswith("["):
        return [None] if not re.fullmatch(r"\[(?:\w-\w)+\]", atom) else list(_class_range(atom))
    return [atom]


def _class_range(atom: str) -> Iterator[str]:
    for first, last in re.findall(r"(\w)-(\w)", atom):
        yield from (chr(c) for c in range(ord(first), ord(last) + 1))


# --- the trie ------------------------------------------------------------------------------


def _trie(entries: list[tuple[int, str]], names: dict[str, int], depth: int) -> str:
    keyed: dict[str, list[tuple[int, str]]] = {}
    whole: list[tuple[int, str]] = []
    for index, pattern in _expanded(entries, depth):
        head = _head(pattern) if depth > 0 else None
        if head is None:
            whole.append((index, pattern))
        else:
            keyed.setdefault(head[0], []).append((index, head[1]))
    parts = [key + "(?:" + _trie(rest, names, depth - 1) + ")" for key, rest in keyed.items()]
    for index, pattern in whole:
        name = f"g{len(names)}"
        names[name] = index
        parts.append(f"(?P<{name}>{pattern})")
    return "|".join(parts)


def _expanded(entries: list[tuple[int, str]], depth: int) -> list[tuple[int, str]]:
    if depth <= 0:
        return entries
    return [(index, expanded) for index, pattern in entries for expanded in _expand_head(pattern)]


def _head(pattern: str) -> tuple[str, str] | None:
    """Split off the first atom (a character, an escape, a class) when it is not optional."""
    if not pattern or pattern[0] in "().|^$?*+{":
        return None
    if pattern[0] == "\\":
        size = 2
    elif pattern[0] == "[":
        size = _class_end(pattern) + 1
    else:
        size = 1
    key, rest = pattern[:size], pattern[size:]
    return None if rest.startswith(_QUANTIFIERS) else (key, rest)


def _class_end(pattern: str) -> int:
    j = 2 if pattern[1:2] in ("^", "]") else 1
    while pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j


def _expand_head(pattern: str) -> list[str]:
    """``(?:a|b)?c…`` -> ``ac…``, ``bc…``, ``c…``: alternatives that open with a character."""
    if not pattern.startswith("(?:"):
        return [pattern]
    close = _matching_paren(pattern)
    quantifier = pattern[close + 1:close + 3]
    optional = quantifier[:1] == "?" and quantifier != "??"
    if quantifier[:1] in _QUANTIFIERS and not optional:
        return [pattern]
    rest = pattern[close + (2 if optional else 1):]
    choices = [choice + rest for choice in _top_level_split(pattern[3:close])] + ([rest] if optional else [])
    expanded: list[str] = []
    for choice in choices:
        expanded += _expand_head(choice)
        if len(expanded) > _EXPANSION_LIMIT:
            return [pattern]
    return expanded


def _scan(pattern: str):
    """Yield (index, character, depth) for characters outside classes and escapes."""
    depth, j, in_class = 0, 0, False
    while j < len(pattern):
        ch = pattern[j]
        if ch == "\\":
            j += 2
            continue
        if in_class:
            in_class = ch != "]"
        else:
            in_class = ch == "["
            depth += (ch == "(") - (ch == ")")
            yield j, ch, depth
        j += 1


def _matching_paren(pattern: str) -> int:
    for j, ch, depth in _scan(pattern):
        if ch == ")" and depth == 0:
            return j
    raise re.error(f"unbalanced parenthesis in {pattern!r}")


def _top_level_split(pattern: str) -> list[str]:
    parts, start = [], 0
    for j, ch, depth in _scan(pattern):
        if ch == "|" and depth == 0:
            parts.append(pattern[start:j])
            start = j + 1
    return [*parts, pattern[start:]]
