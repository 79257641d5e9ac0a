"""One text as the stance stages read it: its folded view, shape, places and mentions."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property

from monitor.analysis.linking import Place, PlaceKind
from monitor.analysis.text import Span, TextShape
from monitor.analysis.topic import Topic
from monitor.domain import Mention


@dataclass
class Reading:
    shape: TextShape
    topic: Topic
    places: list[Place]
    mentions: tuple[Mention, ...]
    owner_code: str | None = None
    mention_starts: list[int] = field(init=False)
    place_starts: list[int] = field(init=False)
    sentence_actors: dict[Span, list] = field(init=False, default_factory=dict)  # see `actors.actors_in`
    statement_sentences: dict[Span, bool] = field(init=False, default_factory=dict)  # see `cues`
    proposals: dict = field(init=False, default_factory=dict)  # § item -> the stance a motion there proposes
    unattributed: list = field(init=False, default_factory=list)  # see `stance.Unattributed`

    def __post_init__(self) -> None:
        self.mention_starts = [m.start for m in self.mentions]
        self.place_starts = [p.start for p in self.places]

    @property
    def text(self) -> str:
        return self.shape.text

    @property
    def folded(self) -> str:
        return self.shape.folded

    def is_topical(self, pos: int) -> bool:
        """A mention close enough to `pos`, in the same § item of a protocol."""
        window = self.topic.stance_window
        lo = bisect.bisect_left(self.mention_starts, pos - window)
        hi = bisect.bisect_right(self.mention_starts, pos + window)
        if hi == lo or not self.shape.item_starts:
            return hi > lo
        item_start, item_end = self.shape.item_bounds(pos)
        lo = bisect.bisect_left(self.mention_starts, max(pos - window, item_start))
        hi = bisect.bisect_left(self.mention_starts, min(pos + window + 1, item_end))
        return hi > lo

    def places_in(self, span: Span) -> list[Place]:
        lo = bisect.bisect_left(self.place_starts, span[0])
        hi = bisect.bisect_left(self.place_starts, span[1])
        return [p for p in self.places[lo:hi] if p.end <= span[1]]

    def names_municipality(self, span: Span) -> bool:
        """Whether `span` names a municipality (not only an ambiguous name or a region)."""
        return any(p.kind is PlaceKind.MUNICIPALITY and not p.pending for p in self.places_in(span))

    @cached_property
    def municipality_codes(self) -> frozenset[str]:
        return frozenset(p.code for p in self.places if p.code and p.kind is PlaceKind.MUNICIPALITY and not p.pending)
