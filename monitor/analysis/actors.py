"""Who acts in a sentence: named municipalities (lists kept together) and other actors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress
from operator import methodcaller

from monitor.analysis.language import ACTOR_KINDS, DESCRIPTIVE, SUFFIX_ACTORS, ActorKind
from monitor.analysis.linking import PlaceKind
from monitor.analysis.patterns import WordIndex
from monitor.analysis.reading import Reading
from monitor.analysis.text import Span

_LIST_GAP = re.compile(r"\s*(?:,|;|,?\s*(?:och|and|samt|&|eller|or|as well as))?\s*")
_PARTY_LIST_GAP = re.compile(r"(?:\s|,|och|and|samt|&|the)*")
_LOCAL = re.compile(r"\s+(?:i|in)\s+")


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    start: int
    end: int
    codes: tuple[str, ...] = ()  # the municipalities of a (list of) named municipalities


def actors_in(reading: Reading, sentence: Span) -> list[Actor]:
    """Actors of one sentence in text order; named places win over words that overlap them."""
    cached = reading.sentence_actors.get(sentence)
    if cached is None:
        cached = reading.sentence_actors[sentence] = _actors(reading, sentence)
    return cached


def _actors(reading: Reading, sentence: Span) -> list[Actor]:
    named = _named(reading, sentence)
    words = [a for a in _words(reading, sentence) if not _overlaps(a, named)]
    actors = _local_parties(reading.folded, sorted(named + words, key=lambda a: a.start))
    return _without_descriptive_parties(reading.folded, actors)


def _local_parties(folded: str, actors: list[Actor]) -> list[Actor]:
    """"SD i Åstorp", "the Moderates in Lidingö": a party's local branch, not the municipality."""
    merged: list[Actor] = []
    for actor in actors:
        if (merged and actor.kind is ActorKind.MUNICIPALITY and merged[-1].kind is ActorKind.PARTY
                and _LOCAL.fullmatch(folded, merged[-1].end, actor.start)):
            merged[-1] = Actor(ActorKind.PARTY, merged[-1].start, actor.end)
        else:
            merged.append(actor)
    return merged


def _named(reading: Reading, sentence: Span) -> list[Actor]:
    actors: list[Actor] = []
    for place in reading.places_in(sentence):
        if place.kind is PlaceKind.REGION:
            actors.append(Actor(ActorKind.OTHER, place.start, place.end))
        elif actors and actors[-1].codes and _LIST_GAP.fullmatch(reading.folded, actors[-1].end, place.start):
            last = actors[-1]
            codes = last.codes if place.code in last.codes else (*last.codes, place.code or "")
            actors[-1] = Actor(ActorKind.MUNICIPALITY, last.start, place.end, codes)
        else:
            actors.append(Actor(ActorKind.MUNICIPALITY, place.start, place.end, (place.code or "",)))
    return actors


def _words(reading: Reading, sentence: Span) -> list[Actor]:
    start, end = sentence
    folded, words, regex = reading.folded, reading.shape.words, reading.topic.actor_regex
    found = [Actor(ACTOR_KINDS[regex.group_of(m)], m.start(), m.end()) for m in regex.finditer(folded, words, start, end)]
    return _first_of_overlapping(found + _suffix_actors(words, start, end))


def _suffix_actors(words: WordIndex, start: int, end: int) -> list[Actor]:
    """"arbetsmarknadsnämnden", "stadsledningskontoret", "Västra Götalandsregionen"."""
    lo, hi = words.between(start, end)
    found = []
    for kind, suffixes in SUFFIX_ACTORS.items():
        ends_so = map(methodcaller("endswith", suffixes), words.words[lo:hi])
        found += [Actor(kind, words.starts[i], words.starts[i] + len(words.words[i]))
                  for i in compress(range(lo, hi), ends_so)]
    return found


def _first_of_overlapping(actors: list[Actor]) -> list[Actor]:
    kept: list[Actor] = []
    for actor in sorted(actors, key=lambda a: (a.start, -a.end)):
        if not kept or actor.start >= kept[-1].end:
            kept.append(actor)
    return kept


def _overlaps(actor: Actor, others: list[Actor]) -> bool:
    return any(o.start < actor.end and actor.start < o.end for o in others)


def _without_descriptive_parties(folded: str, actors: list[Actor]) -> list[Actor]:
    """Drop parties that only describe who governs: "Vimmerby, styrt av S, C och V, tackar nej"."""
    kept: list[Actor] = []
    descriptive_from: int | None = None
    for actor in actors:
        if actor.kind is ActorKind.PARTY and _is_descriptive(folded, actor, kept, descriptive_from):
            descriptive_from = actor.end
            continue
        descriptive_from = None
        kept.append(actor)
    return kept


def _is_descriptive(folded: str, actor: Actor, kept: list[Actor], previous_end: int | None) -> bool:
    if previous_end is not None and _PARTY_LIST_GAP.fullmatch(folded, previous_end, actor.start):
        return True
    window_start = max(kept[-1].end if kept else 0, actor.start - 60)
    markers = list(DESCRIPTIVE.finditer(folded, window_start, actor.start))
    return bool(markers) and bool(_PARTY_LIST_GAP.fullmatch(folded, markers[-1].end(), actor.start))


def nearest_before(actors: list[Actor], pos: int, lower: int) -> Actor | None:
    candidates = [a for a in actors if lower <= a.start and a.end <= pos]
    return candidates[-1] if candidates else None


def first_after(actors: list[Actor], pos: int, upper: int) -> Actor | None:
    return next((a for a in actors if a.start >= pos and a.end <= upper), None)
