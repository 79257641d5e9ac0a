"""The analysis of one text: mentions, the municipalities it is about, their stances."""

from __future__ import annotations

from monitor.analysis.linking import codes_in_order, linker_for
from monitor.analysis.mentions import mentions_in
from monitor.analysis.normalise import fold_in_place
from monitor.analysis.reading import Reading
from monitor.analysis.stance import candidates, findings, observe
from monitor.analysis.text import TextShape
from monitor.analysis.topic import Topic
from monitor.domain import AnalysisResult, Authority, StanceFinding
from monitor.municipalities import Registry


def analyze(text: str, topic: Topic, registry: Registry, owner_code: str | None = None,
            authority: Authority | None = None) -> AnalysisResult:
    """Analyse `text` (as `clean_text` left it); offsets and evidence index `text` itself.

    `owner_code` says whose document it is (a protocol of that municipality): first-person
    statements and decision formulas then speak for it, with `authority` (default
    DECISION).  Without an owner the text is read as press.
    """
    shape = TextShape(text, fold_in_place(text))
    mentions = mentions_in(shape, topic)
    places = linker_for(registry).places(text, shape.folded, owner_code)
    codes = codes_in_order(places)
    if not mentions or (owner_code is None and not places):
        # Without an owner, only a municipality the text names can have a stance in it.
        return AnalysisResult(mentions=mentions, municipalities=codes, stances=())
    reading = Reading(shape, topic, places, mentions, owner_code)
    stances, held = candidates(reading, findings(reading, observe(reading), registry, authority), registry,
                               authority)
    codes = _with_stated(_with_owner(codes, owner_code), stances)
    order = {code: i for i, code in enumerate(codes)}
    stances.sort(key=lambda f: order[f.municipality_code])
    return AnalysisResult(mentions=mentions, municipalities=codes, stances=tuple(stances), candidates=tuple(held))


def _with_stated(codes: tuple[str, ...], stances: list[StanceFinding]) -> tuple[str, ...]:
    """An ambiguous name ("Lund rejected…") becomes a municipality of the text when it states a stance."""
    stated = sorted((f.evidence_start, f.municipality_code) for f in stances if f.municipality_code not in codes)
    return codes + tuple(dict.fromkeys(code for _, code in stated))


def _with_owner(codes: tuple[str, ...], owner_code: str | None) -> tuple[str, ...]:
    """The owner of a document is what it is about, named in it or not."""
    if owner_code is None or owner_code in codes:
        return codes
    return (owner_code, *codes)
