"""Mentions of a topic: where its terms occur, with the sentence around them."""

from __future__ import annotations

import bisect

from monitor.analysis.normalise import fold
from monitor.analysis.text import Span, TextShape
from monitor.analysis.topic import Topic, context_terms, strong_terms
from monitor.domain import Mention

_SNIPPET_MIN = 40
_SNIPPET_MAX = 600
_SNIPPET_MARGIN = 250

Hit = tuple[int, int, str]  # start, end, canonical term


def find_mentions(text: str, topic: Topic) -> tuple[Mention, ...]:
    """Every mention of `topic` in `text`, in text order; offsets index `text`."""
    folded = fold(text)
    return mentions_in(TextShape(text, folded), topic)


def mentions_in(shape: TextShape, topic: Topic) -> tuple[Mention, ...]:
    hits = _strong_hits(shape, topic)
    if not hits:
        return ()
    hits = _outside_near_misses(shape, topic, hits)
    hits = sorted(hits + _context_hits(shape, topic, hits))
    return tuple(_mention(shape, hit) for hit in hits)


def _strong_hits(shape: TextShape, topic: Topic) -> list[Hit]:
    terms = strong_terms(topic)
    regex = topic.term_regex
    return [(m.start(), m.end(), terms[regex.group_of(m)].term) for m in regex.finditer(shape.folded, shape.words)]


def _outside_near_misses(shape: TextShape, topic: Topic, hits: list[Hit]) -> list[Hit]:
    if topic.near_miss_regex is None:
        return hits
    misses = [m.span() for m in topic.near_miss_regex.finditer(shape.folded, shape.words)]
    return [hit for hit in hits if not _overlaps_any(hit[0], hit[1], misses)] if misses else hits


def _context_hits(shape: TextShape, topic: Topic, hits: list[Hit]) -> list[Hit]:
    if topic.context_regex is None or not hits:
        return []
    terms = context_terms(topic)
    starts = [h[0] for h in hits]
    taken = [(h[0], h[1]) for h in hits]
    found = []
    regex = topic.context_regex
    for m in regex.finditer(shape.folded, shape.words):
        if _near(starts, m.start(), topic.context_window) and not _overlaps_any(m.start(), m.end(), taken):
            found.append((m.start(), m.end(), terms[regex.group_of(m)].term))
    return found


def _near(sorted_starts: list[int], pos: int, window: int) -> bool:
    i = bisect.bisect_left(sorted_starts, pos - window)
    return i < len(sorted_starts) and sorted_starts[i] <= pos + window


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
    first, last = shape.sentence_index(start), shape.sentence_index(max(start, end - 1))
    sentences = shape.sentences
    if not sentences:
        return _window(shape.text, start, end)
    s0, e0 = min(sentences[first][0], start), max(sentences[last][1], end)
    if e0 - s0 < _SNIPPET_MIN and last + 1 < len(sentences):
        e0 = sentences[last + 1][1]
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
