"""Who acts in a sentence: named municipalities (lists kept together) and other actors."""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from monitor.analysis.language import ACTOR_KINDS, DESCRIPTIVE, SUFFIX_ACTOR_REGEX, ActorKind, suffix_kind
from monitor.analysis.linking import PlaceKind
from monitor.analysis.reading import Reading
from monitor.analysis.text import Span

_LIST_GAP = re.compile(r"\s*(?:,|;|,?\s*(?:och|and|samt|&|eller|or|as well as))?\s*")
_PARTY_LIST_GAP = re.compile(r"(?:\s|,|och|and|samt|&|the)*")
_LOCAL = re.compile(r"\s+(?:i|in)\s+")


class Actor(NamedTuple):
    kind: ActorKind
    start: int
    end: int
    codes: tuple[str, ...] = ()  # the municipalities of a (list of) named municipalities
    pending: bool = False  # an ambiguous name without context: a subject only right before its cue


def actors_in(reading: Reading, sentence: Span) -> list[Actor]:
    """Actors of one sentence in text order; named places win over words that overlap them.

    Found on first use for each sentence a cue stands in (or a subject is looked for), not for the
    whole text: most sentences never need them.
    """
    found = reading.sentence_actors.get(sentence)
    if found is None:
        found = reading.sentence_actors[sentence] = _actors_of(reading, sentence)
    return found


def _actors_of(reading: Reading, span: Span) -> list[Actor]:
    """Lists of municipalities, parties, "vi", "many"… in `span`."""
    named = _named(reading, span)
    actors = _merge(named, [a for a in _words(reading, span) if not _overlaps(a, named)])
    actors = _local_parties(reading.folded, actors)
    return _without_descriptive_parties(reading.folded, actors, span[0])


def _merge(first: list[Actor], second: list[Actor]) -> list[Actor]:
    return sorted(first + second, key=lambda a: a.start)


def _named(reading: Reading, span: Span) -> list[Actor]:
    """Named municipalities, a list of them ("Jokkmokk, Boden och Kiruna") as one actor; regions."""
    actors: list[Actor] = []
    for place in reading.places_in(span):
        if place.pending:
            actors.append(Actor(ActorKind.MUNICIPALITY, place.start, place.end, (place.code or "",), pending=True))
        elif place.kind is PlaceKind.REGION:
            actors.append(Actor(ActorKind.OTHER, place.start, place.end))
        elif (actors and actors[-1].codes and not actors[-1].pending
              and _LIST_GAP.fullmatch(reading.folded, actors[-1].end, place.start)):
            last = actors[-1]
            codes = last.codes if place.code in last.codes else (*last.codes, place.code or "")
            actors[-1] = Actor(ActorKind.MUNICIPALITY, last.start, place.end, codes)
        else:
            actors.append(Actor(ActorKind.MUNICIPALITY, place.start, place.end, (place.code or "",)))
    return actors


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


def _words(reading: Reading, sentence: Span) -> list[Actor]:
    start, end = sentence
    folded, regex = reading.folded, reading.topic.actor_regex
    found = [Actor(ACTOR_KINDS[group], a, b) for a, b, group in regex.hits(folded, start, end)]
    return _first_of_overlapping(found + _suffix_actors(folded, start, end))


def _suffix_actors(folded: str, start: int, end: int) -> list[Actor]:
    """"arbetsmarknadsnämnden", "stadsledningskontoret", "Västra Götalandsregionen"."""
    return [Actor(suffix_kind(match.group()), _word_start(folded, match.start(), start), match.end())
            for match in SUFFIX_ACTOR_REGEX.finditer(folded, start, end)]


def _word_start(folded: str, pos: int, lower: int) -> int:
    while pos > lower and (folded[pos - 1].isalnum() or folded[pos - 1] in "_&"):
        pos -= 1
    return pos


def _first_of_overlapping(actors: list[Actor]) -> list[Actor]:
    kept: list[Actor] = []
    for actor in sorted(actors, key=lambda a: (a.start, -a.end)):
        if not kept or actor.start >= kept[-1].end:
            kept.append(actor)
    return kept


def _overlaps(actor: Actor, others: list[Actor]) -> bool:
    """Whether `actor` overlaps one of `others` (sorted, not overlapping each other)."""
    i = bisect.bisect_left(others, actor.end, key=lambda o: o.start)
    return i > 0 and others[i - 1].end > actor.start


def _without_descriptive_parties(folded: str, actors: list[Actor], lower: int) -> list[Actor]:
    """Drop parties that only describe who governs: "Vimmerby, styrt av S, C och V, tackar nej"."""
    kept: list[Actor] = []
    descriptive_from: int | None = None
    for actor in actors:
        if actor.kind is ActorKind.PARTY and _is_descriptive(folded, actor, kept, descriptive_from, lower):
            descriptive_from = actor.end
            continue
        descriptive_from = None
        kept.append(actor)
    return kept


def _is_descriptive(folded: str, actor: Actor, kept: list[Actor], previous_end: int | None, lower: int) -> bool:
    if previous_end is not None and _PARTY_LIST_GAP.fullmatch(folded, previous_end, actor.start):
        return True
    window_start = max(kept[-1].end if kept else lower, actor.start - 60)
    markers = list(DESCRIPTIVE.finditer(folded, window_start, actor.start))
    return bool(markers) and bool(_PARTY_LIST_GAP.fullmatch(folded, markers[-1].end(), actor.start))


def nearest_before(actors: list[Actor], pos: int, lower: int) -> Actor | None:
    candidates = [a for a in actors if lower <= a.start and a.end <= pos]
    return candidates[-1] if candidates else None


def first_after(actors: list[Actor], pos: int, upper: int) -> Actor | None:
    return next((a for a in actors if a.start >= pos and a.end <= upper), None)
