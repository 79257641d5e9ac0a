"""Which municipalities a text names: names, genitives, aliases, exonyms; not regions.

The registry is turned once into a dictionary from the folded first word of
every spelling ("vaggeryds", "gothenburg", "region") to the spellings that
start with it.  A text is scanned once for capitalised words; only those found
in the dictionary are looked at further.  Names that are also ordinary words
or first names (the registry's `ambiguous` flag: Mark, Ale, Berg, Sala…) count
only with context: "Marks kommun", "kommunalrådet i Berg", "i Sala", a list of
other municipalities, or a document owned by that municipality.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import NamedTuple

from monitor.analysis.normalise import fold_in_place
from monitor.domain import Municipality
from monitor.municipalities import Registry


class PlaceKind(enum.StrEnum):
    MUNICIPALITY = "municipality"
    REGION = "region"  # a region or county that carries a municipality's name: not that municipality


class Place(NamedTuple):
    """A name found in a text (a tuple: the analysis makes many of these)."""

    code: str | None  # None for a region
    start: int
    end: int
    kind: PlaceKind
    pending: bool = False  # an ambiguous name still waiting for context


@dataclass(frozen=True)
class _Form:
    code: str
    regex: re.Pattern[str]  # matches the folded text at the first word of the spelling
    ambiguous: bool
    first_word: str  # as spelled, lower case: tells Habo from Håbo when both fold to "habo"


# The capital first, the word boundary after it: `re` then skips to capitals at C speed.
_CAPITALISED = re.compile(r"[A-ZÅÄÖÆØÉÈÜ](?<![\w&].)[^\W_]*")
_SUFFIX = r"(?P<suffix>\s+(?:kommuns?|stads?|kommune|municipality|city council)(?!\w))?(?:'s)?"
_NOT_COMPOUND = r"(?![\w&]|-[^\W\d_])"
_REGION_BEFORE = ("region ", "lansstyrelsen i ", "landstinget i ", "region\n")
_AFTER = re.compile(  # what follows a name and makes it something else than the municipality
    r"(?P<region>\s+(?:lans?|county|region|regionen|landsting\w*)(?!\w)|-regionen|-lan)"
    r"|(?P<institution>\s+(?:universitet\w*|university|stift|tingsratt|hovratt|domkyrka|cathedral|airport|"
    r"flygplats|lasarett|sjukhus|hospital)(?!\w))"
)
_CONTEXT_BEFORE = re.compile(
    r"(?:kommunalradet|kommunalrad|kommunstyrelsen|kommunfullmaktige|kommunen|kommunerna|kommuner|politikerna|"
    r"styret|ordforande|ordforanden|majoriteten|oppositionen|municipality|municipalities|council|mayor|\w*styrda|"
    r"\w*styrd|\w*styrt|\w*-led|\w*-run|\w*controlled)(?:\s+(?:i|in|of|for))?\s+$"
)
_LOCATIVE_BEFORE = re.compile(r"(?:^|[\s(])(?:i|in|fran|from)\s+$")
_CONTEXT_AFTER = re.compile(
    r"(?:,?\s+(?:governed|run|led|ruled|controlled) by|,\s+(?:styrd|styrt|styrs|ledd|lett) av|"
    r"\s+(?:kommunalrad\w*|kommunstyrelse\w*|kommunfullmaktige|politiker\w*|ordforande|styre\w*|"
    r"kommunledning\w*|council\w*|mayor))(?!\w)"
)
_LIST_GAP = re.compile(r"\s*(?:,|;|,?\s*(?:och|and|samt|&|eller|or|as well as))?\s*")
_SURNAME_AFTER = re.compile(r" [A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)? ?\([A-ZÅÄÖ]{1,3}\)")
_NOT_FIRST_NAMES = frozenset(
    "region regionen kommun kommunen mitt norra sodra ostra vastra centrala stora lilla nya gamla city "
    "the in of and och i av for till fran from at to by with med pa om samt aven ocksa both also even "
    "inre yttre ovre nedre sverige sweden svt sr p4 gp dn svd mr dr president minister".split()
)
_SENTENCE_END_CHARS = ".!?:;\n\"“”«»–—-(["


class Linker:
    """Finds the municipalities (and regions bearing their names) in a text."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self._forms: dict[str, list[_Form]] = {}
        self._sole_in_county = _sole_municipalities(registry)
        for municipality in registry:
            for spelling, ambiguous in _spellings(municipality):
                self._add(municipality.code, spelling, ambiguous)
        for forms in self._forms.values():
            forms.sort(key=lambda f: -len(f.regex.pattern))

    def _add(self, code: str, spelling: str, ambiguous: bool) -> None:
        words = re.split(r"[\s\-]+", fold_in_place(spelling))
        body = r"[\s\-]+".join(re.escape(w) for w in words)
        regex = re.compile(f"(?P<name>{body}){_NOT_COMPOUND}{_SUFFIX}")
        first_word = re.split(r"[\s\-]+", spelling.lower())[0]
        self._forms.setdefault(words[0], []).append(_Form(code, regex, ambiguous, first_word))

    def places(self, text: str, folded: str, owner_code: str | None = None) -> list[Place]:
        """Municipalities and regions named in `text`, in text order."""
        found: list[Place] = []
        end_of_last = 0
        forms = self._forms
        # `fold_in_place` keeps every character a word character or not, one for one, so a capitalised
        # word of the text is, folded, a whole word of the folded view: a dictionary tells the first words.
        for token in _CAPITALISED.finditer(text):
            start = token.start()
            word = folded[start:token.end()]
            if word not in forms or start < end_of_last or _inside_compound(text, start):
                continue
            place = self._place_at(text, folded, start, word, owner_code)
            if place is not None:
                found.append(place)
                end_of_last = place.end
        return _resolve_lists(folded, found)

    def _place_at(self, text: str, folded: str, start: int, word: str, owner_code: str | None) -> Place | None:
        as_written = text[start:start + len(word)].lower()
        forms = self._forms.get(word, ())
        for form in sorted(forms, key=lambda f: f.first_word != as_written) if len(forms) > 1 else forms:
            match = form.regex.match(folded, start)
            if match:
                return self._classify(text, folded, match, form, owner_code)
        return None

    def _classify(self, text: str, folded: str, match: re.Match[str], form: _Form,
                  owner_code: str | None) -> Place | None:
        start, name_end, end = match.start(), match.end("name"), match.end()
        after = _AFTER.match(folded, name_end)
        if after and after.lastgroup == "institution":
            return None
        before = _region_before(folded, start)
        if (after or before is not None) and form.code not in self._sole_in_county:
            return Place(None, start if before is None else before, after.end() if after else name_end,
                         PlaceKind.REGION)
        has_suffix = match.group("suffix") is not None
        if not has_suffix and _is_person(text, start, name_end, self._forms):
            return None
        pending = form.ambiguous and not has_suffix and not _has_context(text, folded, start, name_end, form.code,
                                                                         owner_code)
        return Place(form.code, start, end, PlaceKind.MUNICIPALITY, pending)


def municipalities_in(text: str, registry: Registry, owner_code: str | None = None) -> tuple[str, ...]:
    """The kommunkoder of the municipalities `text` names, in order of first appearance."""
    return codes_in_order(linker_for(registry).places(text, fold_in_place(text), owner_code))


def municipalities(places: list[Place]) -> list[Place]:
    return [p for p in places if p.kind is PlaceKind.MUNICIPALITY and not p.pending]


def codes_in_order(places: list[Place]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for place in municipalities(places):
        seen.setdefault(place.code or "", None)
    return tuple(seen)


# --- spellings -----------------------------------------------------------------------------


def _spellings(municipality: Municipality) -> list[tuple[str, bool]]:
    name = municipality.name
    spellings = [(name, municipality.ambiguous), (_genitive(name), municipality.ambiguous)]
    for alias in municipality.aliases:
        spellings.append((alias, False))
        if not alias.endswith((" kommun", " stad")):
            spellings.append((_genitive(alias), False))
    return spellings


def _genitive(name: str) -> str:
    return name if name[-1:].lower() in "sxz" else name + "s"


def _sole_municipalities(registry: Registry) -> frozenset[str]:
    counts: dict[str, list[str]] = {}
    for m in registry:
        counts.setdefault(m.county, []).append(m.code)
    return frozenset(codes[0] for codes in counts.values() if len(codes) == 1)


# --- context -------------------------------------------------------------------------------


def _inside_compound(text: str, start: int) -> bool:
    """"SD-Kiruna": a word after a hyphen is part of a compound."""
    return start > 1 and text[start - 1] == "-" and text[start - 2].isalpha()


def _region_before(folded: str, start: int) -> int | None:
    """Where "Region …", "Länsstyrelsen i …" begins before a name, if it does."""
    for prefix in _REGION_BEFORE:
        if folded.endswith(prefix, 0, start):
            return start - len(prefix)
    return None


def _has_context(text: str, folded: str, start: int, end: int, code: str, owner_code: str | None) -> bool:
    """"Marks kommun" aside: "kommunalrådet i Berg", "i Sala", "Lund, governed by…", the owner's own name."""
    if code == owner_code:
        return True
    before = folded[max(0, start - 40):start]
    if _CONTEXT_BEFORE.search(before) or _CONTEXT_AFTER.match(folded, end):
        return True
    return bool(_LOCATIVE_BEFORE.search(before)) and not _SURNAME_AFTER.match(text, end)


def _is_person(text: str, start: int, end: int, forms: dict[str, list[_Form]]) -> bool:
    """"Anna Berg", "Per Lund (M)", "Nora Lindqvist (S)": a person, not a place."""
    if _SURNAME_AFTER.match(text, end):
        return True
    first = _word_before(text, start)
    if not first or not first[0].isupper() or not first[1:].islower():
        return False
    word = fold_in_place(first)
    if word in _NOT_FIRST_NAMES or word in forms:
        return False
    return not _sentence_initial(text, start - 1 - len(first))


def _word_before(text: str, start: int) -> str:
    """The word right before `start`, separated from it by one space ("" if none)."""
    if start < 2 or text[start - 1] != " ":
        return ""
    i = start - 1
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    return text[i:start - 1] if i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "-&") else ""


def _sentence_initial(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END_CHARS


def _resolve_lists(folded: str, places: list[Place]) -> list[Place]:
    """Accept an ambiguous name that stands in a list with accepted municipalities."""
    changed = True
    while changed:
        changed = False
        for i, place in enumerate(places):
            if place.pending and _listed_with_accepted(folded, places, i):
                places[i] = Place(place.code, place.start, place.end, place.kind, False)
                changed = True
    return places


def _listed_with_accepted(folded: str, places: list[Place], i: int) -> bool:
    for j in (i - 1, i + 1):
        if 0 <= j < len(places) and places[j].kind is PlaceKind.MUNICIPALITY and not places[j].pending:
            left, right = sorted((places[i], places[j]), key=lambda p: p.start)
            if _LIST_GAP.fullmatch(folded, left.end, right.start):
                return True
    return False


_LINKERS: dict[int, tuple[Registry, Linker]] = {}
_LINKERS_KEPT = 8


def linker_for(registry: Registry) -> Linker:
    """The linker of `registry`, built once per registry object (the last few are kept)."""
    cached = _LINKERS.get(id(registry))
    if cached is None or cached[0] is not registry:
        cached = (registry, Linker(registry))
        _LINKERS[id(registry)] = cached
        while len(_LINKERS) > _LINKERS_KEPT:
            del _LINKERS[next(iter(_LINKERS))]
    return cached[1]
