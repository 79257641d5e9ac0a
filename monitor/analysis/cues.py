"""Stance cues in a text: where the topic's cue phrases occur in sentences that can carry a stance.

A cue does not count in a question, in a party's reservation or special
statement, in a sentence that records a person's proposal ("yrkar avslag"),
or far from any mention of the topic (or in another § item of a protocol).
"""

from __future__ import annotations

from typing import NamedTuple

from monitor.analysis.language import PROPOSAL, QUESTION_END
from monitor.analysis.reading import Reading
from monitor.analysis.text import Span, paragraph_break_in
from monitor.analysis.topic import CueSpec


class CueHit(NamedTuple):
    spec: CueSpec
    start: int
    end: int
    sentence: Span  # the sentence(s) the cue stands in: the evidence


def cue_hits(reading: Reading) -> list[CueHit]:
    """Cues that may state a stance, in text order."""
    hits = []
    regex, cues = reading.topic.cue_regex, reading.topic.cues
    folded, starts = reading.folded, reading.topic.starts(reading.shape, "cue")
    for start, end in _scanned(reading):
        for cue_start, cue_end, group in regex.hits(folded, start, end, starts):
            hit = CueHit(cues[group], cue_start, cue_end, _sentence_of(reading, cue_start, cue_end))
            if _counts(reading, hit):
                hits.append(hit)
    return hits


def _scanned(reading: Reading) -> list[Span]:
    """Where the analysis looks, less the reservations: a party's reservation never states a stance."""
    regions, reservations = reading.shape.looked_at(), reading.shape.reservations
    if not reservations:
        return regions
    scanned = []
    for start, end in regions:
        for cut_start, cut_end in reservations:
            if cut_start < end and cut_end > start:
                if cut_start > start:
                    scanned.append((start, cut_start))
                start = max(start, cut_end)
        if start < end:
            scanned.append((start, end))
    return scanned


def _sentence_of(reading: Reading, start: int, end: int) -> Span:
    first = reading.shape.sentence_at(start)
    last = first if end <= first[1] else reading.shape.sentence_at(max(start, end - 1))
    return min(first[0], start), max(last[1], end)


def _counts(reading: Reading, hit: CueHit) -> bool:
    if paragraph_break_in(reading.text, hit.start, hit.end) or not reading.is_topical(hit.start):
        return False
    if reading.shape.in_reservation(hit.start):
        return False
    return _can_state(reading, hit.sentence)


def _can_state(reading: Reading, sentence: Span) -> bool:
    """Not a question, not a person's proposal ("yrkar avslag", "jag föreslår"): cached per sentence."""
    verdict = reading.statement_sentences.get(sentence)
    if verdict is None:
        words = reading.folded[sentence[0]:sentence[1]]
        verdict = reading.statement_sentences[sentence] = not (QUESTION_END.search(words) or PROPOSAL.search(words))
    return verdict
