"""A topic is data: a TOML file of terms, near misses, actors and stance cues.

`load_topic("atervandring")` reads ``monitor/data/topics/atervandring.toml`` from
the installed package; a path to any other file works too.  The patterns are
compiled once here, so analysing a document never compiles a regex.
"""

from __future__ import annotations

import enum
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from monitor.analysis.language import ACTOR_KINDS, ACTORS, ActorKind
from monitor.analysis.patterns import Alternation, compile_groups
from monitor.analysis.prefilter import Prefilter, prefilter
from monitor.analysis.text import TextShape
from monitor.domain import Stance


class TopicError(ValueError):
    """A topic file that cannot be used; the message names the file and the problem."""


class TermKind(enum.StrEnum):
    TERM = "term"  # a mention wherever it stands
    CONTEXT = "context"  # "samordnaren", "national coordinator": a mention near a term proper
    REFERENCE = "reference"  # "bjuda in samordnaren": a mention unless the text names another coordinator


class CueKind(enum.StrEnum):
    DIRECT = "direct"  # a statement of stance: "tackar nej", "accepted the invitation"
    FORMULA = "formula"  # a protocol decision: "motionen avslås"
    ANSWERED = "answered"  # "motionen anses besvarad": the stance the rest of the item gives
    REFERENCE = "reference"  # "samma besked": the stance stated just before


@dataclass(frozen=True)
class Term:
    term: str
    patterns: tuple[str, ...] = ()
    context_patterns: tuple[str, ...] = ()  # count only near a mention proper
    reference_patterns: tuple[str, ...] = ()  # count alone, unless the text names another referent


@dataclass(frozen=True)
class NearMiss:
    what: str
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class CueSpec:
    kind: CueKind
    stance: Stance | None
    weight: float
    patterns: tuple[str, ...]
    negation_inherent: bool = False
    skip_government: bool = False
    subject_after: bool = False  # "precis som Göteborg": the subject follows the cue


@dataclass(frozen=True)
class Topic:
    name: str
    title: str
    terms: tuple[Term, ...]
    near_misses: tuple[NearMiss, ...]
    cues: tuple[CueSpec, ...]
    government_actors: tuple[str, ...] = ()
    context_window: int = 3000
    stance_window: int = 3000
    term_regex: Alternation = field(init=False, compare=False, repr=False)  # terms and context terms: see below
    mention_terms: tuple[tuple[str, TermKind], ...] = field(init=False, compare=False, repr=False)
    other_referents: tuple[str, ...] = ()  # "samordnare för hemlöshet": a reference then means another one
    other_referent_regex: Alternation | None = field(init=False, compare=False, repr=False)
    near_miss_regex: Alternation | None = field(init=False, compare=False, repr=False)
    cue_regex: Alternation = field(init=False, compare=False, repr=False)
    actor_regex: Alternation = field(init=False, compare=False, repr=False)  # language actors + this topic's

    def __post_init__(self) -> None:
        compiled = _compile(self)
        for name, value in compiled.items():
            object.__setattr__(self, name, value)

    @cached_property
    def prefilter(self) -> Prefilter | None:
        """One Hyperscan pass for the terms, cues, near misses and other referents (built on first use)."""
        alternations = {"term": self.term_regex, "cue": self.cue_regex, "near_miss": self.near_miss_regex,
                        "other_referent": self.other_referent_regex}
        return prefilter({key: regex.patterns for key, regex in alternations.items() if regex is not None})

    def starts(self, shape: TextShape, key: str) -> list[int] | None:
        """Where the alternation `key` ("term", "cue", "near_miss", "other_referent") may match in the
        shape's text, for `Alternation.hits`; None without a prefilter (the alternation then scans)."""
        found = self.prefilter
        if found is None:
            return None
        starts = shape.prefiltered.get(id(found))
        if starts is None:
            starts = shape.prefiltered[id(found)] = found.starts(shape.folded)
        return starts.get(key)


def load_topic(name: str | Path = "atervandring") -> Topic:
    """The topic named `name` shipped with the package, or the topic file at path `name`."""
    path = Path(name)
    if path.suffix == ".toml" or path.exists():
        return _load_file(str(path.resolve()))
    return _load_shipped(str(name))


def shipped_topics() -> list[str]:
    """The names of the topics that ship with the package (monitor/data/topics/<name>.toml)."""
    folder = resources.files("monitor") / "data" / "topics"
    return sorted(entry.name.removesuffix(".toml") for entry in folder.iterdir() if entry.name.endswith(".toml"))


@cache
def _load_shipped(name: str) -> Topic:
    resource = resources.files("monitor") / "data" / "topics" / f"{name}.toml"
    if not resource.is_file():
        raise TopicError(f"no topic named {name!r} (looked for data/topics/{name}.toml in package monitor)")
    return parse_topic(resource.read_text(encoding="utf-8"), source=f"{name}.toml")


@cache
def _load_file(path: str) -> Topic:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise TopicError(f"cannot read topic file {path}: {exc}") from exc
    return parse_topic(text, source=path)


def parse_topic(text: str, source: str = "<topic>") -> Topic:
    try:
        return _build(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, re.error) as exc:
        raise TopicError(f"{source}: {type(exc).__name__}: {exc}") from exc


def _build(data: dict[str, Any]) -> Topic:
    return Topic(
        name=str(data["name"]),
        title=str(data.get("title", data["name"])),
        terms=tuple(_term(t) for t in data.get("terms", ())),
        near_misses=tuple(NearMiss(str(n["what"]), tuple(n["patterns"])) for n in data.get("near_misses", ())),
        other_referents=tuple(data.get("other_referents", ())),
        cues=tuple(_cue(c) for c in data.get("cues", ())),
        government_actors=tuple(data.get("actors", {}).get("government", ())),
        context_window=int(data.get("context_window", 3000)),
        stance_window=int(data.get("stance_window", 3000)),
    )


def _term(data: dict[str, Any]) -> Term:
    term = Term(str(data["term"]), tuple(data.get("patterns", ())), tuple(data.get("context_patterns", ())),
                tuple(data.get("reference_patterns", ())))
    if not term.patterns and not term.context_patterns and not term.reference_patterns:
        raise ValueError(f"term {term.term!r} has no patterns")
    return term


def _cue(data: dict[str, Any]) -> CueSpec:
    kind = CueKind(data.get("kind", "direct"))
    stance = Stance(data["stance"]) if "stance" in data else None
    if stance is None and kind in (CueKind.DIRECT, CueKind.FORMULA):
        raise ValueError(f"a {kind.value} cue needs a stance")
    return CueSpec(kind, stance, float(data.get("weight", 0.8)), tuple(data["patterns"]),
                   bool(data.get("negation_inherent", False)), bool(data.get("skip_government", False)),
                   bool(data.get("subject_after", False)))


def _compile(topic: Topic) -> dict[str, Any]:
    terms = [(t.term, TermKind.TERM, t.patterns) for t in topic.terms if t.patterns]
    terms += [(t.term, TermKind.REFERENCE, t.reference_patterns) for t in topic.terms if t.reference_patterns]
    terms += [(t.term, TermKind.CONTEXT, t.context_patterns) for t in topic.terms if t.context_patterns]
    misses = [p for n in topic.near_misses for p in n.patterns]
    return {
        "term_regex": compile_groups([patterns for _, _, patterns in terms]),
        "mention_terms": tuple((term, kind) for term, kind, _ in terms),
        "near_miss_regex": compile_groups([misses]) if misses else None,
        "other_referent_regex": compile_groups([topic.other_referents]) if topic.other_referents else None,
        "cue_regex": compile_groups([c.patterns for c in topic.cues]),
        "actor_regex": compile_groups([_actor_patterns(kind, topic) for kind in ACTOR_KINDS]),
    }


def _actor_patterns(kind: ActorKind, topic: Topic) -> tuple[str, ...]:
    """The language's actors of one kind; the topic's government actors are never a municipality."""
    return ACTORS[kind] + (topic.government_actors if kind is ActorKind.OTHER else ())
