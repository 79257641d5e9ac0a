"""Where a topic's patterns may match a text, found for all of them in one pass by Hyperscan.

Python's `re` tries an alternation of patterns at every word start of a text (see `patterns.Alternation`),
once per alternation: the terms, the cues, the near misses.  Hyperscan runs every pattern of a topic at
once, at C speed, in one pass.  It is used here as a prefilter, never as the judge:

- each pattern is rewritten into one whose matches include all of the original's: lookarounds and word
  boundaries dropped, possessive and lazy quantifiers made plain, every class and escape spelled out as
  the Latin-1 characters `re` lets it match (the folded view is Latin-1);
- it is reversed and run over the reversed text, so that a report's end is where a match may start
  (Hyperscan reports ends; asking it for starts costs more than the whole `re` scan);
- `Alternation.hits` then tries the `re` pattern at those starts only, in text order, and skips a start
  inside the match before, as `re.finditer` does: the matches are the same, found with a fraction of
  the work.

Without the `hyperscan` package (it is a dependency; a platform without a wheel can do without it), or
when a pattern cannot be rewritten or compiled, `prefilter` gives None and the analysis scans with `re`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from monitor.analysis.patterns import SEPARATORS, class_end, latin1_characters, matching_paren

try:  # a binary wheel; the analysis is the same without it, only slower
    import hyperscan
except ImportError:  # pragma: no cover - exercised where the wheel is missing
    hyperscan = None

_QUANTIFIER = re.compile(r"(\?|\*|\+|\{(\d*)(?:,(\d*))?\})[+?]?")
_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
_DROPPED_ESCAPES = frozenset("bBAZz")


class UnsupportedPattern(ValueError):
    """A construct the rewriting does not know (a backreference, inline flags): that alternation uses `re`."""


class _Item(NamedTuple):
    atom: str | list[list[_Item]]  # one character (as Hyperscan source) or a group's alternatives
    quantifier: str = ""


# --- rewriting -----------------------------------------------------------------------------


def superset(pattern: str) -> str:
    """`pattern` (regex source over the folded view) as Hyperscan source that matches at least its matches."""
    return _emit(_parsed(pattern))


def reversed_superset(pattern: str) -> str:
    """`superset` of `pattern`, matching the reversed strings: run over reversed text, its ends are starts."""
    return _emit(_reversed(_parsed(pattern)))


def _parsed(pattern: str) -> list[list[_Item]]:
    alternatives, end = _alternatives(pattern, 0)
    if end != len(pattern):
        raise UnsupportedPattern(f"unbalanced ')' in {pattern!r}")
    return alternatives


def _alternatives(pattern: str, i: int) -> tuple[list[list[_Item]], int]:
    alternatives: list[list[_Item]] = [[]]
    while i < len(pattern) and pattern[i] != ")":
        if pattern[i] == "|":
            alternatives.append([])
            i += 1
            continue
        atom, i = _atom(pattern, i)
        quantifier, i = _quantifier(pattern, i)
        if atom is not None and atom != []:
            alternatives[-1].append(_Item(atom, quantifier))
    return alternatives, i


def _atom(pattern: str, i: int) -> tuple[str | list[list[_Item]] | None, int]:
    """The atom at `i` and where it ends; None for what only asserts (it is dropped)."""
    ch = pattern[i]
    if ch == "\\":
        escaped = pattern[i + 1]
        if escaped in _DROPPED_ESCAPES:
            return None, i + 2
        if escaped.isdigit():
            raise UnsupportedPattern(f"a backreference in {pattern!r}")
        return _characters(pattern[i:i + 2]), i + 2
    if ch == "[":
        end = i + class_end(pattern[i:])
        return _characters(pattern[i:end + 1]), end + 1
    if ch == "(":
        if pattern.startswith(_LOOKAROUNDS, i):
            return None, i + matching_paren(pattern[i:]) + 1
        if pattern.startswith("(?P<", i):
            inner = pattern.index(">", i) + 1
        elif pattern.startswith(("(?:", "(?>"), i):
            inner = i + 3
        elif pattern.startswith("(?", i):
            raise UnsupportedPattern(f"inline flags or an unknown group in {pattern!r}")
        else:
            inner = i + 1
        alternatives, end = _alternatives(pattern, inner)
        if end >= len(pattern):
            raise UnsupportedPattern(f"unbalanced '(' in {pattern!r}")
        return ([] if all(not a for a in alternatives) else alternatives), end + 1
    if ch in "^$":
        return None, i + 1
    if ch in "*+?" or (ch == "{" and _QUANTIFIER.match(pattern, i)):
        raise UnsupportedPattern(f"a quantifier without an atom in {pattern!r}")
    return _characters(ch), i + 1


def _quantifier(pattern: str, i: int) -> tuple[str, int]:
    match = _QUANTIFIER.match(pattern, i)
    if match is None:
        return "", i
    if match.group(1).startswith("{"):
        low, high = match.group(2) or "0", match.group(3)
        text = f"{{{low}}}" if high is None else f"{{{low},{high}}}"
        return text, match.end()
    return match.group(1), match.end()


@cache
def _characters(source: str) -> str:
    """A character, escape or class as the Latin-1 characters `re` lets it match, in Hyperscan source."""
    if len(source) == 1 and source.isascii() and source.isalnum():
        return source
    codes = [ord(c) for c in latin1_characters(source)]
    if not codes:
        raise UnsupportedPattern(f"{source!r} matches no Latin-1 character")
    if len(codes) == 1:
        return rf"\x{codes[0]:02x}"
    return "[" + "".join(_ranges(codes)) + "]"


def _ranges(codes: list[int]) -> list[str]:
    ranges, first, last = [], codes[0], codes[0]
    for code in codes[1:] + [-1]:
        if code == last + 1:
            last = code
            continue
        ranges.append(rf"\x{first:02x}" if first == last else rf"\x{first:02x}-\x{last:02x}")
        first = last = code
    return ranges


# What can stand before a word in the folded view (see `patterns.SEPARATORS`), in Hyperscan source.
_WORD_START = _characters(f"[{SEPARATORS}]")


def _reversed(alternatives: list[list[_Item]]) -> list[list[_Item]]:
    return [[_Item(_reversed(item.atom) if isinstance(item.atom, list) else item.atom, item.quantifier)
             for item in reversed(sequence)] for sequence in alternatives]


def _emit(alternatives: list[list[_Item]]) -> str:
    return "|".join("".join(_emit_item(item) for item in sequence) for sequence in alternatives)


def _emit_item(item: _Item) -> str:
    atom = f"(?:{_emit(item.atom)})" if isinstance(item.atom, list) else item.atom
    return atom + item.quantifier


# --- scanning ------------------------------------------------------------------------------


@dataclass
class Prefilter:
    """One Hyperscan database for several alternations; `starts` gives, per alternation, where it may match."""

    database: Any
    keys: tuple[str, ...]  # per pattern id: the alternation it belongs to
    sources: tuple[bytes, ...] = ()  # per pattern id: what was compiled (a copy or a pickle compiles it again)
    _local: threading.local = field(default_factory=threading.local, repr=False)

    def __reduce__(self) -> tuple[Any, ...]:
        return _compiled, (self.sources, self.keys)

    def starts(self, folded: str) -> dict[str, list[int]]:
        """Per alternation, the sorted positions of `folded` where one of its patterns may match."""
        backwards = (folded[::-1] + "\n").encode("latin-1")  # "\n": a word can start the text
        size = len(backwards)
        ends: list[tuple[int, int]] = []
        self.database.scan(backwards, match_event_handler=_collect, context=ends, scratch=self._scratch())
        found: dict[str, set[int]] = {key: set() for key in self.keys}
        keys = self.keys
        for pattern_id, end in ends:
            found[keys[pattern_id]].add(size - end)
        return {key: sorted(positions) for key, positions in found.items()}

    def _scratch(self) -> Any:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:  # Hyperscan's scratch space serves one scan at a time: one per thread
            scratch = self._local.scratch = hyperscan.Scratch(self.database)
        return scratch


def _collect(pattern_id: int, start: int, end: int, flags: int, ends: list[tuple[int, int]]) -> None:
    ends.append((pattern_id, end))


def prefilter(alternations: Mapping[str, Sequence[str]]) -> Prefilter | None:
    """A prefilter for these alternations (their folded patterns by key), or None without Hyperscan or
    when a pattern cannot be rewritten or compiled (the analysis then scans with `re`, as exactly)."""
    if hyperscan is None:
        return None
    sources: list[bytes] = []
    keys: list[str] = []
    try:
        for key, patterns in alternations.items():
            for pattern in patterns:
                sources.append(f"(?:{reversed_superset(pattern)}){_WORD_START}".encode("latin-1"))
                keys.append(key)
        return _compiled(tuple(sources), tuple(keys)) if sources else None
    except (UnsupportedPattern, hyperscan.error):
        return None


def _compiled(sources: tuple[bytes, ...], keys: tuple[str, ...]) -> Prefilter:
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(expressions=list(sources), ids=list(range(len(sources))), elements=len(sources),
                     flags=[0] * len(sources))
    return Prefilter(database, keys, sources)
