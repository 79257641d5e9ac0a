"""Mentions of a topic: where its terms occur, with the sentence around them."""

from __future__ import annotations

import bisect

from monitor.analysis.normalise import fold_in_place
from monitor.analysis.text import Span, TextShape
from monitor.analysis.topic import TermKind, Topic
from monitor.domain import Mention

_SNIPPET_MIN = 40
_SNIPPET_MAX = 600
_SNIPPET_MARGIN = 250

_NEAR_MISS_REACH = 80  # how far before or after a term a near miss that contains it can start or end
_NEAR_MISS_GAP = 1000  # windows closer than this are scanned as one

Hit = tuple[int, int, str]  # start, end, canonical term


def find_mentions(text: str, topic: Topic) -> tuple[Mention, ...]:
    """Every mention of `topic` in `text`, in text order; offsets index `text`."""
    folded = fold_in_place(text)
    return mentions_in(TextShape(text, folded), topic)


def mentions_in(shape: TextShape, topic: Topic) -> tuple[Mention, ...]:
    strong, references, context = _term_hits(shape, topic)
    if references and not _names_other_referent(shape, topic):
        strong = sorted(strong + references)
    if not strong:
        return ()
    strong = _outside_near_misses(shape, topic, strong)
    hits = sorted(strong + _near(context, strong, topic.context_window))
    if hits and not shape.regions:
        shape.focus([hit[0] for hit in hits], topic.stance_window)
    return tuple(_mention(shape, hit) for hit in hits)


def _term_hits(shape: TextShape, topic: Topic) -> tuple[list[Hit], list[Hit], list[Hit]]:
    """Terms proper, references and context terms ("samordnaren"), found in one scan of the text."""
    found: dict[TermKind, list[Hit]] = {kind: [] for kind in TermKind}
    terms = topic.mention_terms
    for start, end, group in topic.term_regex.hits(shape.folded, starts=topic.starts(shape, "term")):
        term, kind = terms[group]
        found[kind].append((start, end, term))
    return found[TermKind.TERM], found[TermKind.REFERENCE], found[TermKind.CONTEXT]


def _names_other_referent(shape: TextShape, topic: Topic) -> bool:
    """"nationell samordnare för hemlöshet": "samordnaren" in this text is someone else."""
    regex = topic.other_referent_regex
    return regex is not None and next(regex.hits(shape.folded, starts=topic.starts(shape, "other_referent")),
                                      None) is not None


def _outside_near_misses(shape: TextShape, topic: Topic, hits: list[Hit]) -> list[Hit]:
    """Drop a term inside a near miss ("voluntary return of rejected asylum seekers", "återvändande")."""
    if topic.near_miss_regex is None:
        return hits
    starts = topic.starts(shape, "near_miss")
    misses = [(a, b) for start, end in _windows(hits, _NEAR_MISS_REACH, len(shape.folded), _NEAR_MISS_GAP)
              for a, b, _ in topic.near_miss_regex.hits(shape.folded, start, end, starts)]
    return [hit for hit in hits if not _overlaps_any(hit[0], hit[1], misses)] if misses else hits


def _near(context: list[Hit], strong: list[Hit], reach: int) -> list[Hit]:
    """"samordnaren", "national coordinator": mentions only within `reach` of a term proper."""
    if not context or not strong:
        return []
    starts = [hit[0] for hit in strong]
    kept = []
    for hit in context:
        i = bisect.bisect_right(starts, hit[0])
        neighbours = strong[max(0, i - 1):i + 1]
        if any(s[0] - reach <= hit[0] and hit[1] <= s[1] + reach for s in neighbours):
            kept.append(hit)
    return kept


def _windows(hits: list[Hit], reach: int, size: int, gap: int = 0) -> list[Span]:
    """The spans within `reach` of the hits, merged (also when less than `gap` apart: fewer scans)."""
    windows: list[Span] = []
    for start, end, _ in hits:
        lo, hi = max(0, start - reach), min(size, end + reach)
        if windows and lo <= windows[-1][1] + gap:
            windows[-1] = (windows[-1][0], max(hi, windows[-1][1]))
        else:
            windows.append((lo, hi))
    return windows


def _overlaps_any(start: int, end: int, spans: list[Span]) -> bool:
    """Whether [start, end) overlaps one of `spans` (sorted, not overlapping each other)."""
    i = bisect.bisect_left(spans, (end,))
    return i > 0 and spans[i - 1][1] > start


def _mention(shape: TextShape, hit: Hit) -> Mention:
    start, end, term = hit
    s0, e0 = snippet_span(shape, start, end)
    return Mention(term=term, start=start, end=end, snippet=shape.text[s0:e0], matched=shape.text[start:end])


def snippet_span(shape: TextShape, start: int, end: int) -> Span:
    """The sentence(s) around [start, end): at least a short sentence's worth, at most a paragraph."""
    first = shape.find_sentence(start)
    if first is None:
        return _window(shape.text, start, end)
    last = first if end <= first[1] else shape.sentence_at(max(start, end - 1))
    s0, e0 = min(first[0], start), max(last[1], end)
    if e0 - s0 < _SNIPPET_MIN:
        following = shape.next_sentence(max(start, end - 1))
        if following is not None:
            e0 = following[1]
    if e0 - s0 > _SNIPPET_MAX:
        return _window(shape.text, start, end)
    return s0, e0


def _window(text: str, start: int, end: int) -> Span:
    s0 = max(0, start - _SNIPPET_MARGIN)
    e0 = min(len(text), end + _SNIPPET_MARGIN)
    space = text.find(" ", s0, start)
    s0 = space + 1 if space != -1 and s0 > 0 else s0
    space = text.rfind(" ", end, e0)
    e0 = space if space != -1 and e0 < len(text) else e0
    return s0, e0
