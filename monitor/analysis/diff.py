"""The diff stage: which parts of a changed document's text are new."""

from __future__ import annotations

import difflib
import re

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?\n?|\n")


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]


def added_spans(old: str | None, new: str) -> list[tuple[int, int]]:
    """Offsets in `new` of the sentences that are not in `old` (all of `new` when there is no old)."""
    if old is None:
        return [(0, len(new))]
    old_spans, new_spans = _sentences(old), _sentences(new)
    old_items = [old[a:b].strip() for a, b in old_spans]
    new_items = [new[a:b].strip() for a, b in new_spans]
    matcher = difflib.SequenceMatcher(a=old_items, b=new_items, autojunk=False)
    added = []
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag in ("insert", "replace") and j1 < j2:
            added.append((new_spans[j1][0], new_spans[j2 - 1][1]))
    return added


def within(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)
