"""Patterns as topic and vocabulary files write them, compiled for the folded view.

A pattern is a regular expression written in lower case, with Swedish letters
as they are spelled.  Compiled, it matches the folded text (see
`normalise.fold`):

- å, ä and ö also match what OCR makes of them: a plain vowel, "&", "d", "6", "0"
  ("&tervandring", "6ka", "féljande" -> "feljande");
- a space matches any run of whitespace, line breaks included;
- a pattern only matches whole words (it may end in ``\\w*`` to take inflections).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_SWEDISH_VOWEL = "aeo&d60"
_OUTSIDE = {"å": f"[{_SWEDISH_VOWEL}]", "ä": f"[{_SWEDISH_VOWEL}]", "ö": f"[{_SWEDISH_VOWEL}]", " ": r"\s+"}
_INSIDE = {"å": _SWEDISH_VOWEL, "ä": _SWEDISH_VOWEL, "ö": _SWEDISH_VOWEL}
_START = r"(?<![\w&])"
_END = r"(?!\w)"


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


def word_pattern(patterns: Iterable[str]) -> str:
    """One alternation of whole-word patterns (not grouped by name)."""
    return _START + "(?:" + "|".join(to_folded(p) for p in patterns) + ")" + _END


def compile_words(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile(word_pattern(patterns))


def compile_named(groups: Sequence[Iterable[str]], prefix: str = "g") -> re.Pattern[str]:
    """One regex whose alternatives are named ``g0``, ``g1``…; `m.lastgroup` tells which matched."""
    parts = [f"(?P<{prefix}{i}>" + "|".join(to_folded(p) for p in group) + ")" for i, group in enumerate(groups)]
    return re.compile(_START + "(?:" + "|".join(parts) + ")" + _END)


def group_index(match: re.Match[str], prefix: str = "g") -> int:
    name = match.lastgroup or ""
    return int(name[len(prefix):])
