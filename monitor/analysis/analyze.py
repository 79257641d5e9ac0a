"""The analysis of one text: mentions, the municipalities it is about, their stances."""

from __future__ import annotations

from monitor.analysis.linking import codes_in_order, linker_for
from monitor.analysis.mentions import mentions_in
from monitor.analysis.normalise import fold
from monitor.analysis.reading import Reading
from monitor.analysis.stance import findings, observe
from monitor.analysis.text import TextShape
from monitor.analysis.topic import Topic
from monitor.domain import AnalysisResult, Authority
from monitor.municipalities import Registry


def analyze(text: str, topic: Topic, registry: Registry, owner_code: str | None = None,
            authority: Authority | None = None) -> AnalysisResult:
    """Analyse `text` (as `clean_text` left it); offsets and evidence index `text` itself.

    `owner_code` says whose document it is (a protocol of that municipality): first-person
    statements and decision formulas then speak for it, with `authority` (default
    DECISION).  Without an owner the text is read as press.
    """
    shape = TextShape(text, fold(text))
    mentions = mentions_in(shape, topic)
    places = linker_for(registry).places(text, shape.folded, shape.words, owner_code)
    codes = codes_in_order(places)
    if not mentions:
        return AnalysisResult(mentions=(), municipalities=codes, stances=())
    reading = Reading(shape, topic, places, mentions, owner_code)
    stances = findings(reading, observe(reading), registry, authority)
    order = {code: i for i, code in enumerate(_with_owner(codes, owner_code))}
    stances.sort(key=lambda f: order.get(f.municipality_code, len(order)))
    return AnalysisResult(mentions=mentions, municipalities=_with_owner(codes, owner_code), stances=tuple(stances))


def _with_owner(codes: tuple[str, ...], owner_code: str | None) -> tuple[str, ...]:
    """The owner of a document is what it is about, named in it or not."""
    if owner_code is None or owner_code in codes:
        return codes
    return (owner_code, *codes)
