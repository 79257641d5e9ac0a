"""Each municipality's stance in a text, with a confidence and the sentence that shows it.

Every cue that counts (see `cues`) and has a subject (see `subjects`) becomes an
observation; negation turns a refusal into "not decided" and an acceptance into
a refusal; a wish, a hypothesis or a party's voice is no observation at all.
"Samma besked" takes the stance observed just before; "motionen anses
besvarad" takes the stance the rest of the item gives.  The observations of
one municipality are then weighed into one finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from monitor.analysis.cues import CueHit, cue_hits
from monitor.analysis.language import CHANGED, HYPOTHETICAL, NEGATION, SUPERSEDED, WISH
from monitor.analysis.linking import PlaceKind
from monitor.analysis.patterns import compile_words
from monitor.analysis.reading import Reading
from monitor.analysis.subjects import Situation, Subject, situate, subject_of
from monitor.analysis.text import Span, is_headline
from monitor.analysis.topic import CueKind
from monitor.domain import Authority, Stance, StanceCandidate, StanceFinding
from monitor.municipalities import Registry

_NOT_YET = compile_words(("ännu", "än", "yet", "so far", "hittills"))
_PROPOSAL_CONTENT = compile_words((r"(?:motion|medborgarförslag|förslag|e-förslag)\w* (?:\S+ ){0,3}?om att",))
_PROPOSAL_REACH = 80
_CHANGE_REACH = 60
_CONNECTOR = re.compile(r"\s*(?:(?:till|fran|om|med)\s+)?(?:att\s+)?|\s+to\s+")
_REFERENCE_REACH = 1500
_NEGATION_REACH = 30
_HYPOTHESIS_REACH = 14
_DECISIVE = (Stance.DECLINED, Stance.ACCEPTED)
_UNATTRIBUTED = 0.4  # a candidate's confidence: the cue's weight times this
# A finding weaker than this is no finding: it is shown as a review candidate with its sentence.
CANDIDATE_BELOW = 0.45

# The confidence below which a finding of this stance is held for review instead of alerted (see the
# calibration table of benchmarks/real_corpus.py): an acceptance needs more, a false one is the worst error.
DEFAULT_REVIEW_THRESHOLDS: dict[Stance, float] = {Stance.DECLINED: 0.6, Stance.ACCEPTED: 0.85, Stance.NEUTRAL: 0.6}


def review_threshold(stance: Stance, thresholds: dict[Stance, float] | None = None) -> float:
    """The confidence a finding of `stance` needs to be alerted without review."""
    return (thresholds or DEFAULT_REVIEW_THRESHOLDS).get(stance, DEFAULT_REVIEW_THRESHOLDS[Stance.DECLINED])


class Observation(NamedTuple):
    code: str
    stance: Stance | None  # None: an answered motion, not yet given the item's stance
    confidence: float
    evidence: Span
    kind: CueKind
    position: int
    changed: bool = False  # "nu har kommunen ändrat sig och…": this statement replaces earlier ones
    voice: float = 1.0  # how much a reader trusts who speaks (see `Subject.voice`)


class Unattributed(NamedTuple):
    """A stance-like statement in a sentence that names municipalities, without a subject the rules trust."""

    codes: tuple[str, ...]
    stance: Stance | None
    confidence: float
    evidence: Span
    reason: str


class Statement(NamedTuple):
    """A stance stated in the text, whoever it was stated for ("flera kommuner har sagt nej")."""

    position: int
    sentence: Span
    stance: Stance


def observe(reading: Reading) -> list[Observation]:
    """All stance observations in the text, in text order.

    References ("samma besked", "precis som Göteborg") are read last, so that they can take a
    stance stated later in their own sentence ("Liksom Göteborg har Stockholm tackat nej").
    """
    observations: list[Observation] = []
    statements: list[Statement] = []
    references: list[CueHit] = []
    hits = _ungoverned(reading, cue_hits(reading))
    reading.proposals = _proposals(reading, hits)
    for hit in hits:
        if hit.spec.kind is CueKind.REFERENCE:
            references.append(hit)
        else:
            observations += _observations_of(reading, hit, statements)
    for hit in references:
        observations += _observations_of(reading, hit, statements)
    observations.sort(key=lambda o: o.position)
    return _settle_answered(reading, observations)


def _proposals(reading: Reading, hits: list[CueHit]) -> dict[int, Stance]:
    """"Motion om att säga nej till samordnaren": the stance a motion proposes, per § item."""
    proposals: dict[int, Stance] = {}
    for hit in hits:
        if hit.spec.kind is CueKind.DIRECT and hit.spec.stance in _DECISIVE:
            lower = max(hit.sentence[0], hit.start - _PROPOSAL_REACH)
            if _PROPOSAL_CONTENT.search(reading.folded, lower, hit.start):
                proposals.setdefault(reading.shape.item_of(hit.start), hit.spec.stance)
    return proposals


def _ungoverned(reading: Reading, hits: list[CueHit]) -> list[CueHit]:
    kept, previous = [], None
    for hit in hits:
        if previous is None or not _governed(reading, previous, hit):
            kept.append(hit)
        previous = hit
    return kept


def _governed(reading: Reading, previous: CueHit, hit: CueHit) -> bool:
    """"tackar nej till att träffa samordnaren": the second cue is what the first one refuses."""
    if previous.spec.stance is hit.spec.stance or previous.spec.kind is not CueKind.DIRECT:
        return False
    return bool(_CONNECTOR.fullmatch(reading.folded, previous.end, hit.start))


def _observations_of(reading: Reading, hit: CueHit, statements: list[Statement]) -> list[Observation]:
    situation = situate(reading, hit)
    stance_weight = _stance_of(reading, situation, statements)
    if stance_weight is None:
        return []
    if reading.shape.in_comments(hit.start):
        # A reader's comment under an article speaks for nobody: at most a candidate for review.
        _unattributed(reading, hit, stance_weight, "a reader comment after the article")
        return []
    if stance_weight[0] in _DECISIVE and hit.spec.kind is not CueKind.REFERENCE:
        statements.append(Statement(hit.start, hit.sentence, stance_weight[0]))
    subject = subject_of(reading, situation)
    if subject is None or not subject.codes:
        _unattributed(reading, hit, stance_weight)
        return []
    stance, weight = stance_weight
    changed = bool(CHANGED.search(reading.folded, max(situation.clause[0], hit.start - _CHANGE_REACH), hit.start))
    return [_observation(code, stance, weight, subject, hit, changed) for code in subject.codes]


def _unattributed(reading: Reading, hit: CueHit, stance_weight: tuple[Stance | None, float],
                  reason: str = "no municipality is the subject of the statement") -> None:
    """Keep a decisive statement whose sentence names municipalities but whose subject is none of them."""
    stance, weight = stance_weight
    if stance not in _DECISIVE or hit.spec.kind is CueKind.REFERENCE:
        return
    codes = tuple(dict.fromkeys(p.code for p in reading.places_in(hit.sentence)
                                if p.code and p.kind is PlaceKind.MUNICIPALITY and not p.pending))
    if codes:
        reading.unattributed.append(Unattributed(codes, stance, round(weight * _UNATTRIBUTED, 3), hit.sentence,
                                                 reason))


def _observation(code: str, stance: Stance | None, weight: float, subject: Subject, hit: CueHit,
                 changed: bool) -> Observation:
    confidence = max(0.0, min(1.0, weight * subject.certainty))
    return Observation(code, stance, confidence, hit.sentence, hit.spec.kind, hit.start, changed, subject.voice)


# --- what the cue says ---------------------------------------------------------------------


def _stance_of(reading: Reading, situation: Situation,
               statements: list[Statement]) -> tuple[Stance | None, float] | None:
    hit = situation.hit
    kind = hit.spec.kind
    if kind is CueKind.FORMULA:
        return _decided(reading, hit)
    if kind is CueKind.ANSWERED:
        return hit.spec.stance, hit.spec.weight
    if _not_a_statement(reading, situation):
        return None
    weight = hit.spec.weight * (0.5 if _superseded(reading, situation) else 1.0)
    stance = hit.spec.stance if kind is CueKind.DIRECT else _referred_stance(hit, statements)
    if stance is None:
        return None
    if not hit.spec.negation_inherent and _negated(reading, situation):
        return _negate(reading, situation, stance, weight)
    return stance, weight


def _decided(reading: Reading, hit: CueHit) -> tuple[Stance | None, float] | None:
    """A motion adopted takes the stance it proposes; a motion to say no, rejected, states nothing."""
    if reading.proposals.get(reading.shape.item_of(hit.start)) is not Stance.DECLINED:
        return hit.spec.stance, hit.spec.weight
    return (Stance.DECLINED, hit.spec.weight) if hit.spec.stance is Stance.ACCEPTED else None


def _not_a_statement(reading: Reading, situation: Situation) -> bool:
    """A wish for someone else's decision, or a hypothesis: "SD vill att kommunen…", "kan tacka ja"."""
    clause_start, start = situation.clause[0], situation.hit.start
    if WISH.search(reading.folded, clause_start, start):
        return True
    return bool(HYPOTHETICAL.search(reading.folded, max(clause_start, start - _HYPOTHESIS_REACH), start))


def _superseded(reading: Reading, situation: Situation) -> bool:
    start = situation.hit.start
    return bool(SUPERSEDED.search(reading.folded, max(situation.clause[0], start - _NEGATION_REACH), start))


def _negation_window(reading: Reading, situation: Situation) -> Span:
    start = situation.hit.start
    lower = max(situation.clause[0], start - _NEGATION_REACH)
    comma = reading.folded.rfind(",", lower, start)
    return (comma + 1 if comma != -1 else lower), situation.hit.end


def _negated(reading: Reading, situation: Situation) -> bool:
    return bool(NEGATION.search(reading.folded, *_negation_window(reading, situation)))


def _negate(reading: Reading, situation: Situation, stance: Stance, weight: float) -> tuple[Stance, float] | None:
    if situation.hit.spec.kind is CueKind.REFERENCE or stance is Stance.NEUTRAL:
        return None
    if stance is Stance.DECLINED:
        return Stance.NEUTRAL, weight * 0.5
    if _NOT_YET.search(reading.folded, *_negation_window(reading, situation)):
        return Stance.NEUTRAL, weight * 0.6
    return Stance.DECLINED, weight * 0.75


def _referred_stance(hit: CueHit, statements: list[Statement]) -> Stance | None:
    """"Gothenburg also gives the same message": the stance stated in the same sentence, else just before."""
    same = [s for s in statements if s.sentence == hit.sentence]
    if same:
        return min(same, key=lambda s: abs(s.position - hit.start)).stance
    before = [s for s in statements if s.position < hit.start and hit.start - s.position <= _REFERENCE_REACH]
    return max(before, key=lambda s: s.position).stance if before else None


# --- answered motions ----------------------------------------------------------------------


def _settle_answered(reading: Reading, observations: list[Observation]) -> list[Observation]:
    settled = []
    for observation in observations:
        if observation.stance is None:
            stance = _item_stance(reading, observation, observations)
            observation = observation._replace(stance=stance) if stance else None
        if observation is not None:
            settled.append(observation)
    return settled


def _item_stance(reading: Reading, answered: Observation, observations: list[Observation]) -> Stance | None:
    """An answered motion is declined when the item says the municipality will not act, accepted when it acts."""
    item = reading.shape.item_of(answered.position)
    stances = {o.stance for o in observations if o.code == answered.code and o.kind is not CueKind.ANSWERED
               and reading.shape.item_of(o.position) == item}
    for stance in _DECISIVE:
        if stance in stances:
            return stance
    return None


# --- one finding per municipality ----------------------------------------------------------


def findings(reading: Reading, observations: list[Observation], registry: Registry,
             authority: Authority | None) -> list[StanceFinding]:
    by_code: dict[str, list[Observation]] = {}
    for observation in observations:
        by_code.setdefault(observation.code, []).append(observation)
    return [_finding(reading, code, group, registry, authority) for code, group in by_code.items()]


def candidates(reading: Reading, found: list[StanceFinding], registry: Registry,
               authority: Authority | None) -> tuple[list[StanceFinding], list[StanceCandidate]]:
    """The findings strong enough to stand, and review candidates: weak findings and unattributed statements.

    One candidate per municipality, none for a municipality with a finding in the text.
    """
    kept = [f for f in found if f.confidence >= CANDIDATE_BELOW]
    held: dict[str, StanceCandidate] = {}
    for f in found:
        if f.confidence < CANDIDATE_BELOW:
            held[f.municipality_code] = StanceCandidate(
                f.municipality_code, f.municipality, f.stance, f.confidence, f.evidence, f.evidence_start,
                f.authority, "the statement's subject is uncertain")
    stated = {f.municipality_code for f in kept}
    for item in reading.unattributed:
        start, end = item.evidence
        for code in item.codes:
            if code in stated or code in held:
                continue
            held[code] = StanceCandidate(code, _name(registry, code), item.stance, item.confidence,
                                         reading.text[start:end], start,
                                         _authority(code, reading.owner_code, authority), item.reason)
    return kept, sorted(held.values(), key=lambda c: c.evidence_start)


def _finding(reading: Reading, code: str, group: list[Observation], registry: Registry,
             authority: Authority | None) -> StanceFinding:
    group = _latest(group)
    stance, confidence = _weigh(group)
    best = max((o for o in group if o.stance is stance), key=lambda o: _trust(reading, o))
    start, end = best.evidence
    return StanceFinding(
        municipality_code=code,
        municipality=_name(registry, code),
        stance=stance,
        confidence=round(confidence, 3),
        evidence=reading.text[start:end],
        evidence_start=start,
        authority=_authority(code, reading.owner_code, authority),
    )


# How much less a reader trusts a statement shown as evidence when it is a headline, or a reference
# ("samma besked") that takes its stance from another sentence.
_HEADLINE_TRUST = 0.85
_REFERENCE_TRUST = 0.8


def _trust(reading: Reading, observation: Observation) -> tuple[float, int]:
    """How much a reader trusts an observation's sentence as the evidence of a finding (higher first).

    The municipality (its council, its leadership) as the subject and an explicit predicate (both in the
    confidence: the cue's weight times the subject's certainty) beat a party speaking for it, a pronoun, a
    reference and a discourse guess; a sentence of the body beats a headline; the earlier wins a tie.
    """
    trust = observation.confidence * observation.voice
    if observation.kind is CueKind.REFERENCE:
        trust *= _REFERENCE_TRUST
    if is_headline(reading.text, observation.evidence):
        trust *= _HEADLINE_TRUST
    return round(trust, 6), -observation.position


def _latest(group: list[Observation]) -> list[Observation]:
    """After "har nu ändrat sig", only what the municipality says since counts."""
    changed = [o for o in group if o.changed and o.stance in _DECISIVE]
    return [o for o in group if o.position >= changed[-1].position] if changed else group


def _weigh(group: Iterable[Observation]) -> tuple[Stance, float]:
    totals: dict[Stance, float] = {}
    best: dict[Stance, float] = {}
    for o in group:
        assert o.stance is not None
        totals[o.stance] = totals.get(o.stance, 0.0) + o.confidence
        best[o.stance] = max(best.get(o.stance, 0.0), o.confidence)
    decisive = {s: totals[s] for s in _DECISIVE if s in totals}
    if not decisive or best.get(Stance.NEUTRAL, 0.0) > max(best[s] for s in decisive):
        # "har inte tagit ställning", stated plainly, outweighs a guessed "man ska inte…"
        return Stance.NEUTRAL, best[Stance.NEUTRAL]
    winner = max(decisive, key=lambda s: decisive[s])
    share = decisive[winner] / sum(decisive.values())
    return winner, best[winner] * share


def _authority(code: str, owner_code: str | None, authority: Authority | None) -> Authority:
    if owner_code is None:
        return authority or Authority.PRESS
    if code == owner_code:
        return authority or Authority.DECISION
    return Authority.PRESS


def _name(registry: Registry, code: str) -> str:
    try:
        return registry.get(code).name
    except LookupError:
        return code
