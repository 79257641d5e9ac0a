"""Patterns as topic and vocabulary files write them, compiled for the folded view.

A pattern is a regular expression written in lower case, with Swedish letters
as they are spelled.  Compiled, it matches the folded text (see
`normalise.fold_in_place`):

- å, ä and ö also match what OCR makes of them: a plain vowel, "&", "d", "6", "0"
  ("&tervandring", "6ka", "féljande" -> "feljande");
- a space matches any run of whitespace, line breaks included;
- a pattern only matches whole words (it may end in ``\\w*`` to take inflections).

Many patterns are compiled into one `Alternation`: a regex shaped as a trie
on the patterns' first characters.  Python's `re` tries the alternatives of a
group one by one at every word start, but skips at once an alternative that
opens with a character that does not fit; leading groups such as
``(?:säger|sa|sade) nej`` are expanded ("säger nej", "sa nej", "sade nej") so
that every alternative opens with a character, and alternatives that share
their first characters share one branch.  This makes one scan of a text with
a hundred patterns several times faster than a plain alternation.  Faster
still, `Alternation.hits` takes the positions where a match may start, found
for all of a topic's patterns at once by `prefilter`, and tries the regex
only there.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import islice

_SWEDISH_VOWEL = "aeo&d60"
_OUTSIDE = {"å": f"[{_SWEDISH_VOWEL}]", "ä": f"[{_SWEDISH_VOWEL}]", "ö": f"[{_SWEDISH_VOWEL}]", " ": r"\s+"}
_INSIDE = {"å": _SWEDISH_VOWEL, "ä": _SWEDISH_VOWEL, "ö": _SWEDISH_VOWEL}
_START = r"(?<![\w&])"
_END = r"(?!\w)"
_TRIE_DEPTH = 6
_EXPANSION_LIMIT = 200
_QUANTIFIERS = ("?", "*", "+", "{")
_NAMED_GROUP = re.compile(r"\(\?P<g\d+>")
# What can stand before a word in the folded view (Latin-1 only): everything but word characters and "&".
SEPARATORS = "".join(re.escape(chr(c)) for c in range(256) if not (chr(c).isalnum() or chr(c) in "_&"))


# A run of word characters (or non-spaces) before a space never gives characters back: made
# possessive, `re` does not try shorter runs when what follows fails (same matches, fewer steps).
_POSSESSIVE = re.compile(r"(\\S|\[\^\\s[^\]]*\])([+*])(?= )|(\\w)\*(?= |$)")


def _possessive(pattern: str) -> str:
    return _POSSESSIVE.sub(lambda m: m.group(1) + m.group(2) + "+" if m.group(1) else r"\w*+", pattern)


def to_folded(pattern: str) -> str:
    """Rewrite one readable pattern into a regular expression over the folded view."""
    pattern = _possessive(pattern)
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


def word_pattern(patterns: Iterable[str]) -> str:
    """One whole-word alternation of readable patterns, as regex source."""
    return _START + "(?:" + "|".join(to_folded(p) for p in patterns) + ")" + _END


@dataclass(frozen=True)
class Alternation:
    """Groups of patterns compiled into one regex, to scan a folded view (see `normalise.fold_in_place`).

    `spans` finds the matches with `scan`: the regex without its named groups (`re` resets a
    pattern's groups at every position it tries, and with hundreds of groups that costs more
    than the matching), opening with the character before the word (one of `SEPARATORS`,
    which `re` can skip to at C speed) instead of a lookbehind tried at every position.  Only at
    a match does `group_at` match again with the named groups, to tell which group it was.
    """

    regex: re.Pattern[str]  # with named groups and a lookbehind for the word start
    groups: dict[str, int]
    scan: re.Pattern[str]
    heads: tuple[str, ...] = ()  # when every pattern opens with one of these literals: see `_literal_heads`
    patterns: tuple[str, ...] = ()  # the patterns, folded: what `prefilter` compiles

    def spans(self, folded: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
        """(start, end) of the matches in folded[start:end], as `regex.finditer` would find them."""
        end = len(folded) if end is None else end
        if self.heads:
            # Every match opens with a head: none starts before the first head, found at C speed.
            found = [at for at in (folded.find(head, max(start, 0), end) for head in self.heads) if at != -1]
            if not found:
                return
            start = max(start, min(found))
        scan_from = start - 1
        if start <= 0:
            first = self.regex.match(folded, 0, end)
            scan_from = first.end() if first else 0
            if first:
                yield first.span()
        for match in self.scan.finditer(folded, scan_from, end):
            yield match.start() + 1, match.end()

    def hits(self, folded: str, start: int = 0, end: int | None = None,
             starts: Sequence[int] | None = None) -> Iterator[tuple[int, int, int]]:
        """(start, end, group) of the matches in folded[start:end], as `spans` and `group_at` give them.

        With `starts` (sorted; every position where a match may begin, from `prefilter.Prefilter`), the
        regex is tried there only: in text order, never inside the match before, as `re.finditer` would.
        """
        end = len(folded) if end is None else end
        if starts is None:
            for found_start, found_end in self.spans(folded, start, end):
                yield found_start, found_end, self.group_at(folded, found_start, end)
            return
        free_from = start  # a match after another one starts after the separator that follows it
        match, groups = self.regex.match, self.groups
        for at in islice(starts, bisect.bisect_left(starts, start), None):
            if at >= end:
                return
            if at >= free_from:
                found = match(folded, at, end)
                if found:
                    yield at, found.end(), groups[found.lastgroup or ""]
                    free_from = found.end() + 1

    def group_at(self, folded: str, start: int, end: int | None = None) -> int:
        """The group whose pattern matches at `start` (`end` as given to `spans`)."""
        again = self.regex.match(folded, start, len(folded) if end is None else end)
        return self.groups[again.lastgroup or ""] if again else 0


def compile_groups(groups: Sequence[Iterable[str]]) -> Alternation:
    """Compile groups of readable patterns into one whole-word trie regex."""
    entries = [(index, to_folded(pattern)) for index, group in enumerate(groups) for pattern in group]
    names: dict[str, int] = {}
    body = "(?:" + _trie(entries, names, _TRIE_DEPTH) + ")" + _END
    plain = _NAMED_GROUP.sub("(?:", body)
    return Alternation(re.compile(_START + body), names, re.compile(f"[{SEPARATORS}]{plain}"),
                       _literal_heads(pattern for _, pattern in entries), tuple(pattern for _, pattern in entries))


def compile_words(patterns: Iterable[str]) -> re.Pattern[str]:
    """Compile readable patterns into one whole-word regex (no groups to tell apart).

    Searched over a window, a regex that opens with the word-start lookbehind is tried at every position.
    Where it can, each alternative of the trie opens instead with its first character and checks the word
    start after it ("k(?<![\\w&].)…"): `re` then skips at C speed to the characters a match opens with.
    """
    body = _NAMED_GROUP.sub("(?:", _trie([(0, to_folded(p)) for p in patterns], {}, _TRIE_DEPTH))
    first = _first_characters_first(body)
    return re.compile((first if first is not None else _START + "(?:" + body + ")") + _END)


def _first_characters_first(body: str) -> str | None:
    """The trie `body` with the word-start check after each alternative's first character; None when an
    alternative does not open with a character or a class of them."""
    alternatives = []
    for part in _top_level_split(body):
        head = _head(part)
        if head is None:
            return None
        key, rest = head
        characters = latin1_characters(key)
        if not characters or (key.startswith("[") and len(characters) > _FIRST_CHARACTERS_MAX):
            return None
        alternatives += [re.escape(c) + r"(?<![\w&].)" + rest for c in characters]
    return "(?:" + "|".join(alternatives) + ")"


_FIRST_CHARACTERS_MAX = 12


@cache
def latin1_characters(source: str) -> tuple[str, ...]:
    """The Latin-1 characters (all the folded view holds) that the one-character regex `source` matches."""
    regex = re.compile(source)
    return tuple(chr(code) for code in range(256) if regex.fullmatch(chr(code)))


_META = frozenset("\\.^$*+?{}[]()|")


def _literal_heads(patterns: Iterable[str]) -> tuple[str, ...]:
    """The literal text every match of the (folded) patterns opens with, one per alternative ("samordnare",
    "coordinator "…); () when some alternative opens with a class, an escape or an assertion."""
    heads: set[str] = set()
    for pattern in patterns:
        for alternative in _expand_head(pattern):
            size = 0
            while size < len(alternative) and alternative[size] not in _META:
                size += 1
            if alternative[size:size + 1] in ("?", "*", "{"):
                size -= 1  # the last character is optional
            if size < 1:
                return ()
            heads.add(alternative[:size])
    return tuple(sorted(h for h in heads if not any(h != o and h.startswith(o) for o in heads)))


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
    tails = _tails(whole, keyed) if depth > 0 else {}
    if tails:
        whole = []
    parts = []
    for key, rest in keyed.items():
        inner = [_trie(rest, names, depth - 1)] if rest else []
        parts.append(key + "(?:" + "|".join(inner + [_named(names, i, p) for i, p in tails.get(key, [])]) + ")")
    parts += [_named(names, index, pattern) for index, pattern in whole]
    return "|".join(parts)


def _named(names: dict[str, int], index: int, pattern: str) -> str:
    name = f"g{len(names)}"
    names[name] = index
    return f"(?P<{name}>{pattern})"


def _tails(whole: list[tuple[int, str]], keyed: dict[str, list[tuple[int, str]]]) -> dict[str, list[tuple[int, str]]]:
    """The only pattern here without a head, put last in the branches of the characters it can open with.

    ``"?no interest`` goes into the branches of '"' and 'n'; ``(?<!åter\\s)vandring`` into the branch of
    'v', its lookbehind then seen from after the 'v'.  Left as it is, it is tried at every word start.
    Put last in the branches where it can match, it is tried in the same order as before: after every
    other alternative that can match there (no other head matches those characters), so the regex finds
    the same matches.
    """
    if len(whole) != 1:
        return {}
    index, pattern = whole[0]
    if pattern.startswith("(?<!"):
        return _lookbehind_tail(index, pattern, keyed)
    first, mark, second = pattern[:1], pattern[1:2], pattern[2:3]
    if (mark != "?" or not first or not second or first == second or first in _META or second in _META
            or pattern[3:4] in ("?", "*", "+", "{")):
        return {}
    for key in keyed:
        if key not in (first, second) and (re.fullmatch(key, first) or re.fullmatch(key, second)):
            return {}
    keyed.setdefault(first, [])
    keyed.setdefault(second, [])
    return {first: [(index, pattern[2:])], second: [(index, pattern[3:])]}


def _lookbehind_tail(index: int, pattern: str, keyed: dict[str, list[tuple[int, str]]]) -> dict[str, list[tuple[int, str]]]:
    bodies = []
    while pattern.startswith("(?<!"):
        close = matching_paren(pattern)
        bodies.append(pattern[4:close])
        pattern = pattern[close + 1:]
    head = pattern[:1]
    if not head or head in _META or pattern[1:2] in ("?", "*", "+", "{"):
        return {}
    if any(key != head and re.fullmatch(key, head) for key in keyed):
        return {}
    keyed.setdefault(head, [])
    return {head: [(index, "".join(f"(?<!{body}{head})" for body in bodies) + pattern[1:])]}


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
        size = class_end(pattern) + 1
    else:
        size = 1
    key, rest = pattern[:size], pattern[size:]
    return None if rest.startswith(_QUANTIFIERS) else (key, rest)


def class_end(pattern: str) -> int:
    """Where the character class that opens `pattern` ends (the index of its "]")."""
    j = 2 if pattern[1:2] in ("^", "]") else 1
    while pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j


def _expand_head(pattern: str) -> list[str]:
    """``(?:a|b)?c…`` -> ``ac…``, ``bc…``, ``c…``: alternatives that open with a character."""
    if not pattern.startswith("(?:"):
        return [pattern]
    close = matching_paren(pattern)
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


def _scan(pattern: str) -> Iterator[tuple[int, str, int]]:
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


def matching_paren(pattern: str) -> int:
    """The index of the ")" that closes the group opening `pattern`."""
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

