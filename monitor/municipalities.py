"""The registry of Sweden's 290 municipalities, shipped as data with the package."""

from __future__ import annotations

import csv
import difflib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from monitor.domain import Municipality

_SUFFIXES = (" kommun", " stad", " kommune", " municipality")


def fold_name(text: str) -> str:
    """Lower-case, strip diacritics and collapse separators: 'Malung-Sälen' -> 'malung salen'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.replace("-", " ").split())


def _exact(text: str) -> str:
    """Like :func:`fold_name` but keeps å/ä/ö, so 'Håbo' and 'Habo' stay apart."""
    return " ".join(unicodedata.normalize("NFC", text.casefold()).replace("-", " ").split())


class UnknownMunicipality(LookupError):
    def __init__(self, query: str, suggestions: list[str]):
        self.query = query
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown municipality {query!r}.{hint}")


@dataclass(frozen=True, eq=False)  # identity hash: the cached indexes key on the instance
class Registry:
    municipalities: tuple[Municipality, ...]

    @classmethod
    def load(cls) -> Registry:
        return _load_shipped()

    def __iter__(self):
        return iter(self.municipalities)

    def __len__(self) -> int:
        return len(self.municipalities)

    def get(self, code: str) -> Municipality:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownMunicipality(code, []) from None

    def resolve(self, query: str) -> Municipality:
        """Find a municipality by kommunkod or name in any case, with or without å/ä/ö."""
        key = fold_name(query.strip())
        if key.isdigit() and key in self._by_code:
            return self._by_code[key]
        # Exact spelling (with diacritics) first: "Habo" and "Håbo" are different municipalities.
        exact = _exact_name_index(self)
        for candidate in _name_variants(_exact(query.strip())):
            if candidate in exact:
                return exact[candidate]
        clashes = _folded_clashes(self)
        for candidate in _name_variants(key):
            if candidate in self._by_name:
                return self._by_name[candidate]
            if candidate in clashes:
                # Without diacritics the query fits more than one municipality; refuse to guess.
                raise UnknownMunicipality(query, list(clashes[candidate]))
        raise UnknownMunicipality(query, self.closest(query))

    def closest(self, query: str, n: int = 3) -> list[str]:
        names = {fold_name(m.name): m.name for m in self.municipalities}
        hits = difflib.get_close_matches(fold_name(query), list(names), n=n, cutoff=0.6)
        return [names[h] for h in hits]

    def counties(self) -> list[str]:
        return sorted({m.county for m in self.municipalities})

    @property
    def _by_code(self) -> dict[str, Municipality]:
        return _code_index(self)

    @property
    def _by_name(self) -> dict[str, Municipality]:
        return _name_index(self)


def _name_variants(key: str) -> list[str]:
    variants = [key]
    for suffix in _SUFFIXES:
        if key.endswith(suffix):
            stem = key[: -len(suffix)]
            variants += [stem, stem[:-1] if stem.endswith("s") else stem]
    return variants


@cache
def _code_index(registry: Registry) -> dict[str, Municipality]:
    return {m.code: m for m in registry.municipalities}


@cache
def _name_index(registry: Registry) -> dict[str, Municipality]:
    """Folded name/alias -> municipality, leaving out folded keys that fit several municipalities."""
    clashes = _folded_clashes(registry)
    index: dict[str, Municipality] = {}
    for m in registry.municipalities:
        for name in (m.name, *m.aliases):
            if fold_name(name) not in clashes:
                index.setdefault(fold_name(name), m)
    return index


@cache
def _exact_name_index(registry: Registry) -> dict[str, Municipality]:
    index: dict[str, Municipality] = {}
    for m in registry.municipalities:
        for name in (m.name, *m.aliases):
            index.setdefault(_exact(name), m)
    return index


@cache
def _folded_clashes(registry: Registry) -> dict[str, tuple[str, ...]]:
    """Folded keys shared by different municipalities ('habo': Håbo and Habo) -> their names."""
    owners: dict[str, dict[str, None]] = {}
    for m in registry.municipalities:
        for name in (m.name, *m.aliases):
            owners.setdefault(fold_name(name), {})[m.name] = None
    return {key: tuple(names) for key, names in owners.items() if len(names) > 1}


def _parse_row(row: dict[str, str]) -> Municipality:
    aliases = tuple(a.strip() for a in row.get("aliases", "").split(";") if a.strip())
    return Municipality(
        code=row["code"].strip(),
        name=row["name"].strip(),
        county=row["county"].strip(),
        website=row.get("website", "").strip(),
        aliases=aliases,
        ambiguous=row.get("ambiguous", "0").strip() == "1",
    )


@cache
def _load_shipped() -> Registry:
    data = resources.files("monitor") / "data" / "municipalities.csv"
    with data.open(encoding="utf-8", newline="") as handle:
        rows = [_parse_row(row) for row in csv.DictReader(handle)]
    return Registry(tuple(rows))
