"""Whose stance a cue states: the municipality (or list) it is about, if any.

The subject is the actor the cue stands with: one inside the cue ("tackar vi
nej"), else the nearest before it in its clause, else one after it ("no
thanks, Jokkmokk replied"), else one earlier in the sentence.  A named
municipality is its own subject; "vi"/"kommunen" is the document's owner or
the municipality the sentence (or the one before) names; a party, a region or
the government is nobody's municipal stance; "many municipalities" names
nobody unless the clause lists them ("…such as Arvidsjaur and Luleå").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from monitor.analysis.actors import Actor, actors_in, first_after, nearest_before
from monitor.analysis.cues import CueHit
from monitor.analysis.language import (
    ASIDE,
    ATTRIBUTION,
    BEFORE_OBJECT,
    COPULA,
    FACTIVE,
    INSERTED_CLAUSE,
    INTRODUCES_NAMES,
    NAMES_FOLLOW,
    RULING_PARTY,
    ActorKind,
)
from monitor.analysis.reading import Reading
from monitor.analysis.text import Span, clause_at
from monitor.analysis.topic import CueKind

_SPEAKERS = (ActorKind.MUNICIPALITY, ActorKind.SELF, ActorKind.PRONOUN)
_INTRODUCTION_REACH = 120
_TIGHT_GAP = 12  # "likaså gör Ludvika", "nej tack, Jokkmokk": at most a word between
_NAMES_FOLLOW_REACH = 160  # "Några är A, B och C": the marker opens the next sentence, the names follow it
_GENERIC_PRONOUN = re.compile(r"man")
_NAMES_FOLLOW_SENTENCES = 3
_GUESS = 0.5
_PARTY_VOICE = 0.8  # the ruling party speaking for the municipality
_REFERRED_VOICE = 0.9  # "de", "många kommuner": the municipality only through a reference
_AMBIGUOUS = 0.55  # the sentence before names several municipalities apart: whom "vi" means is a guess
_PREPOSITION_BEFORE = re.compile(
    r"(?<![\w&])(?:till|fran|med|av|for|om|hos|mot|at|to|from|with|by|for|about|of)\s+(?:den\s+|the\s+)?$"
)


@dataclass(frozen=True)
class Subject:
    codes: tuple[str, ...]
    certainty: float  # how sure the attribution is, multiplies the cue's weight
    voice: float = 1.0  # how much a reader trusts who speaks (the evidence ranking only): a party less than the council


@dataclass
class Situation:
    """A cue with the clause it stands in and the actors of its sentence (found when first asked for)."""

    reading: Reading = field(repr=False)
    hit: CueHit
    clause: Span

    @cached_property
    def actors(self) -> list[Actor]:
        return actors_in(self.reading, self.hit.sentence)

    @cached_property
    def aside(self) -> list[Span]:
        """Spans set aside in the sentence before the cue: "– där M styr –", "(S)", ", som styrs av M, C och KD,"."""
        start, cue = self.hit.sentence[0], self.hit.start
        spans = [m.span() for m in ASIDE.finditer(self.reading.text, start, cue)]
        named = [a for a in self.actors if a.kind is ActorKind.MUNICIPALITY and a.end <= cue]
        for marker in INSERTED_CLAUSE.finditer(self.reading.folded, max(start, self.clause[0]), cue):
            if any(a.end <= marker.start() for a in named):
                spans.append((marker.start(), cue))
                break
        return spans

    def set_aside(self, actor: Actor) -> bool:
        return any(start <= actor.start and actor.end <= end for start, end in self.aside)


def situate(reading: Reading, hit: CueHit) -> Situation:
    clauses = reading.shape.clauses(hit.sentence)
    clause = clauses[clause_at(clauses, hit.start)] if clauses else hit.sentence
    return Situation(reading, hit, clause)


def subject_of(reading: Reading, situation: Situation) -> Subject | None:
    if situation.hit.spec.kind in (CueKind.FORMULA, CueKind.ANSWERED):
        return _decision_subject(reading, situation)
    actor = _actor_of(reading, situation)
    if actor is None:
        return _unspoken_subject(reading, situation)
    if _party_speaks(reading, situation, actor):
        return None
    return _resolve(reading, situation, actor)


# --- finding the actor ---------------------------------------------------------------------


def _actor_of(reading: Reading, situation: Situation) -> Actor | None:
    if situation.hit.spec.subject_after:
        return _after(reading, situation)
    return (_inner(situation) or _before(reading, situation, situation.clause[0]) or _after(reading, situation)
            or _before(reading, situation, situation.hit.sentence[0]))


def _inner(situation: Situation) -> Actor | None:
    hit = situation.hit
    inside = [a for a in situation.actors if hit.start <= a.start and a.end <= hit.end and a.kind in _SPEAKERS
              and not a.pending]
    return inside[0] if inside else None


def _before(reading: Reading, situation: Situation, lower: int) -> Actor | None:
    candidates = [a for a in situation.actors if not _skipped(situation, a) and not _object(reading, a)
                  and not situation.set_aside(a)
                  and (not a.pending or _right_before(reading, a, situation.hit.start))]
    return nearest_before(candidates, situation.hit.start, lower)


def _right_before(reading: Reading, actor: Actor, cue_start: int) -> bool:
    """"Lund rejected the invitation", "Sala har tackat nej": an ambiguous name that the cue follows."""
    gap = reading.text[actor.end:cue_start]
    return len(gap.split()) <= 2 and not any(word[:1].isupper() for word in gap.split())


def _object(reading: Reading, actor: Actor) -> bool:
    """"Svaret från Haparanda till samordnaren blev nej": the coordinator is spoken to, not speaking."""
    if actor.kind not in (ActorKind.OTHER, ActorKind.GENERIC):
        return False
    return bool(_PREPOSITION_BEFORE.search(reading.folded, max(0, actor.start - 16), actor.start))


def _after(reading: Reading, situation: Situation) -> Actor | None:
    """"No thanks, Jokkmokk replied": an actor after the cue, when something ties it to the cue."""
    for actor in situation.actors:
        if actor.start < situation.hit.end or actor.end > situation.clause[1]:
            continue
        if actor.kind is ActorKind.GENERIC or actor.pending or _skipped(situation, actor):
            continue
        if actor.kind not in _SPEAKERS or not _tied(reading, situation.hit.end, actor.start):
            return None
        return actor
    return None


def _tied(reading: Reading, end: int, start: int) -> bool:
    gap = reading.folded[end:start]
    if len(gap.split()) <= 1 and len(gap) <= _TIGHT_GAP:
        return True
    return start - end <= _INTRODUCTION_REACH and bool(
        ATTRIBUTION.search(reading.folded, end, start) or INTRODUCES_NAMES.search(reading.folded, end, start))


def _skipped(situation: Situation, actor: Actor) -> bool:
    return situation.hit.spec.skip_government and actor.kind is ActorKind.OTHER


def _party_speaks(reading: Reading, situation: Situation, actor: Actor) -> bool:
    """"SD vill att kommunen…", "Moderaterna menar att man…": a party speaking about the municipality."""
    if actor.kind not in (ActorKind.SELF, ActorKind.PRONOUN):
        return False
    parties = [a for a in situation.actors if a.kind is ActorKind.PARTY
               and situation.clause[0] <= a.start and a.end <= actor.start]
    if not parties:
        return False
    return not FACTIVE.search(reading.folded, parties[-1].end, situation.hit.start)


# --- from actor to municipality ------------------------------------------------------------


def _resolve(reading: Reading, situation: Situation, actor: Actor) -> Subject | None:
    if actor.kind is ActorKind.MUNICIPALITY:
        return Subject(actor.codes, 1.0)
    if actor.kind is ActorKind.SELF:
        subject = _self_subject(reading, situation, actor)
        if subject is not None and RULING_PARTY.fullmatch(reading.folded, actor.start, actor.end):
            return replace(subject, voice=_PARTY_VOICE)  # "de styrande Moderaterna": for the municipality, as a party
        return subject
    if actor.kind is ActorKind.PRONOUN:
        return _voiced(_pronoun_subject(reading, situation, actor), _REFERRED_VOICE)
    if actor.kind is ActorKind.GENERIC:
        return _voiced(_generic_subject(reading, situation, actor), _REFERRED_VOICE)
    return None


def _voiced(subject: Subject | None, voice: float) -> Subject | None:
    return None if subject is None else replace(subject, voice=min(subject.voice, voice))


def _self_subject(reading: Reading, situation: Situation, actor: Actor) -> Subject | None:
    if reading.owner_code:
        return Subject((reading.owner_code,), 1.0)
    named = _named_in_sentence(situation, actor.start)
    if named:
        return Subject(named.codes[-1:], 0.95)
    return _discourse_subject(reading, situation, plural=False)


def _pronoun_subject(reading: Reading, situation: Situation, actor: Actor) -> Subject | None:
    speaker = nearest_before([a for a in situation.actors if a.kind is ActorKind.SELF], actor.start,
                             situation.hit.sentence[0])
    if speaker is not None:  # "Kommunen meddelar att man inte vill delta": "man" is the municipality
        return _self_subject(reading, situation, speaker)
    named = _subject_named_before(reading, situation, actor.start) or _named_in_sentence(situation, actor.start)
    if named:
        return Subject(named.codes, 0.95)
    subject = _discourse_subject(reading, situation, plural=True)
    if subject is not None and _GENERIC_PRONOUN.fullmatch(reading.folded, actor.start, actor.end):
        # "Därför ska man inte…": Swedish "man" is as often "one" as "they"; only a guess from the sentences before
        return Subject(subject.codes, min(subject.certainty, _GUESS))
    if subject is None and reading.owner_code:
        return Subject((reading.owner_code,), 0.85)
    return subject


def _generic_subject(reading: Reading, situation: Situation, actor: Actor) -> Subject | None:
    """"Stockholm is the latest of many municipalities to…", "…have said no, such as X and Y"."""
    before = nearest_before(situation.actors, actor.start, situation.clause[0])
    if before and before.kind is ActorKind.MUNICIPALITY and not before.pending:
        if len(before.codes) > 1 and not reading.folded[before.end:actor.start].strip():
            # "Växjö and Jokkmokk municipalities" (not "Kirunas grannkommuner")
            return Subject(before.codes, 1.0)
        if COPULA.search(reading.folded, before.end, actor.start):
            return Subject(before.codes, 0.95)
    named = first_after([a for a in situation.actors if a.kind is ActorKind.MUNICIPALITY and not a.pending],
                        situation.hit.end, situation.clause[1])
    if named is None or named.start - situation.hit.end > _INTRODUCTION_REACH:
        return _named_next(reading, situation)
    if not INTRODUCES_NAMES.search(reading.folded, situation.hit.end, named.start):
        return _named_next(reading, situation)
    return Subject(named.codes, 0.9)


def _named_next(reading: Reading, situation: Situation) -> Subject | None:
    """"Flera kommuner har tackat nej. Några är Boden, Luleå och Kalix.": the group named in the next sentence."""
    if situation.clause[1] < situation.hit.sentence[1] and reading.names_municipality(
            (situation.clause[1], situation.hit.sentence[1])):
        return None  # the sentence goes on to name someone in another clause: not this group
    position = situation.hit.start
    for distance in range(_NAMES_FOLLOW_SENTENCES):
        following = reading.shape.next_sentence(position)
        if following is None or following[0] < situation.hit.sentence[1]:
            return None
        position = following[0]
        named = _introduced(reading, following)
        if named is not None and (distance == 0 or len(named.codes) > 1):
            return Subject(named.codes, 0.85 if distance == 0 else 0.75)
        if named is not None or reading.names_municipality(following):
            return None  # someone else is named first
    return None


def _introduced(reading: Reading, sentence: Span) -> Actor | None:
    """The municipalities a sentence introduces as members of a group: "Några är A, B och C"."""
    marker = NAMES_FOLLOW.search(reading.folded, sentence[0], min(sentence[1], sentence[0] + _NAMES_FOLLOW_REACH))
    if marker is None:
        return None
    named = first_after([a for a in actors_in(reading, sentence) if a.kind is ActorKind.MUNICIPALITY
                         and not a.pending], marker.end(), sentence[1])
    if named is None or named.start - marker.end() > _INTRODUCTION_REACH:
        return None
    return named


def _subject_named_before(reading: Reading, situation: Situation, pos: int) -> Actor | None:
    """"A, B och C är några som meddelat att de inte…": the names in subject position, not "i Jokkmokks spår".

    A list is preferred to a single name; a name after a preposition or "som" is an object or a comparison.
    """
    named = [a for a in situation.actors if a.kind is ActorKind.MUNICIPALITY and not a.pending and a.end <= pos
             and not BEFORE_OBJECT.search(reading.folded, max(0, a.start - 12), a.start)
             and not situation.set_aside(a)]
    if not named:
        return None
    lists = [a for a in named if len(a.codes) > 1]
    return lists[0] if lists else named[-1]


def _named_in_sentence(situation: Situation, pos: int) -> Actor | None:
    """The municipality named before `pos` in the sentence, else after it in the same clause."""
    named = [a for a in situation.actors if a.kind is ActorKind.MUNICIPALITY and not a.pending]
    return nearest_before(named, pos, 0) or first_after(named, pos, situation.clause[1])


def _decision_subject(reading: Reading, situation: Situation) -> Subject | None:
    """A protocol formula speaks for the document's owner, else for the municipality named with it."""
    if reading.owner_code:
        return Subject((reading.owner_code,), 1.0)
    named = _named_in_sentence(situation, situation.hit.start)
    if named:
        return Subject(named.codes, 0.9)
    return _discourse_subject(reading, situation, plural=False)


def _unspoken_subject(reading: Reading, situation: Situation) -> Subject | None:
    """No actor in the sentence: "Beslut: att tacka nej till inbjudan." in a protocol.

    A reference without an actor ("Motståndet har spridit sig") speaks of the group the next sentence names.
    """
    if reading.owner_code:
        return Subject((reading.owner_code,), 0.85)
    if situation.hit.spec.kind is CueKind.REFERENCE:
        return _named_next(reading, situation)
    return _discourse_subject(reading, situation, plural=False)


def _discourse_subject(reading: Reading, situation: Situation, plural: bool) -> Subject | None:
    """The municipality named in the two sentences before, else the only one the text names.

    Not one that this very sentence names in another clause ("Kommunen tackar nej till X, men
    Lysekil vill…"): the sentence has already said whom it speaks of.
    """
    for sentence in reading.shape.sentences_before(situation.hit.start, 2):
        if not reading.names_municipality(sentence):
            continue
        named = [a for a in actors_in(reading, sentence) if a.kind is ActorKind.MUNICIPALITY and not a.pending]
        if named:
            codes = named[-1].codes if plural else named[-1].codes[-1:]
            apart = {code for a in named for code in a.codes} - set(named[-1].codes)
            return Subject(codes, _AMBIGUOUS if apart and not plural else 0.8)
    only = reading.municipality_codes
    start, end = situation.clause
    elsewhere = {code for a in situation.actors if a.kind is ActorKind.MUNICIPALITY
                 and not start <= a.start < end for code in a.codes}
    if len(only) == 1 and not only & elsewhere:
        code = next(iter(only))
        return Subject((code,), 0.7)
    return None
