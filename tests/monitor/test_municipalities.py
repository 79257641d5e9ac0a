"""The shipped registry of Sweden's 290 municipalities and name resolution."""

from __future__ import annotations

from collections import Counter

import pytest

from monitor.municipalities import Registry, UnknownMunicipality, fold_name
from tests.support.cli import kommunvakt

# SCB länskod -> county name, and the number of municipalities in each county.
COUNTIES = {
    "01": ("Stockholms län", 26),
    "03": ("Uppsala län", 8),
    "04": ("Södermanlands län", 9),
    "05": ("Östergötlands län", 13),
    "06": ("Jönköpings län", 13),
    "07": ("Kronobergs län", 8),
    "08": ("Kalmar län", 12),
    "09": ("Gotlands län", 1),
    "10": ("Blekinge län", 5),
    "12": ("Skåne län", 33),
    "13": ("Hallands län", 6),
    "14": ("Västra Götalands län", 49),
    "17": ("Värmlands län", 16),
    "18": ("Örebro län", 12),
    "19": ("Västmanlands län", 10),
    "20": ("Dalarnas län", 15),
    "21": ("Gävleborgs län", 10),
    "22": ("Västernorrlands län", 7),
    "23": ("Jämtlands län", 8),
    "24": ("Västerbottens län", 15),
    "25": ("Norrbottens län", 14),
}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


def test_has_all_290_municipalities(registry):
    assert len(registry) == 290
    assert len(list(registry)) == 290


def test_codes_are_unique_four_digit_strings(registry):
    codes = [m.code for m in registry]
    assert len(set(codes)) == 290
    assert all(len(code) == 4 and code.isdigit() for code in codes)


def test_names_are_unique(registry):
    names = [m.name for m in registry]
    assert len(set(names)) == 290


def test_every_county_present(registry):
    assert registry.counties() == sorted(name for name, _ in COUNTIES.values())
    assert len(registry.counties()) == 21


def test_code_prefix_matches_county_and_counts(registry):
    for m in registry:
        assert COUNTIES[m.code[:2]][0] == m.county, m
    counts = Counter(m.code[:2] for m in registry)
    assert counts == {prefix: count for prefix, (_, count) in COUNTIES.items()}


@pytest.mark.parametrize(
    ("code", "name", "county"),
    [
        ("0114", "Upplands Väsby", "Stockholms län"),
        ("0180", "Stockholm", "Stockholms län"),
        ("0665", "Vaggeryd", "Jönköpings län"),
        ("0980", "Gotland", "Gotlands län"),
        ("1480", "Göteborg", "Västra Götalands län"),
        ("2023", "Malung-Sälen", "Dalarnas län"),
        ("2510", "Jokkmokk", "Norrbottens län"),
        ("2584", "Kiruna", "Norrbottens län"),
    ],
)
def test_spot_checks(registry, code, name, county):
    m = registry.get(code)
    assert m.name == name
    assert m.county == county


def test_kiruna_is_in_norrbotten(registry):
    assert registry.get("2584").county == "Norrbottens län"


def test_every_website_is_https(registry):
    for m in registry:
        assert m.website.startswith("https://"), m
    assert registry.get("0180").website == "https://start.stockholm"
    assert registry.get("1480").website == "https://goteborg.se"


def test_ambiguous_flags(registry):
    by_name = {m.name: m for m in registry}
    for name in ("Mark", "Ale", "Berg", "Vara", "Lund", "Kil"):
        assert by_name[name].ambiguous, name
    for name in ("Stockholm", "Göteborg", "Vaggeryd", "Kiruna"):
        assert not by_name[name].ambiguous, name


def test_no_alias_names_another_municipality(registry):
    owner = {fold_name(m.name): m.code for m in registry}
    for m in registry:
        for alias in m.aliases:
            assert owner.get(fold_name(alias), m.code) == m.code, (m.name, alias)
        for alias in m.aliases:
            assert not fold_name(alias).endswith(" lan"), (m.name, alias)
            assert not any(fold_name(county) in fold_name(alias) for county in registry.counties()), (m.name, alias)


def test_resolve_by_code(registry):
    assert registry.resolve("0665").name == "Vaggeryd"
    assert registry.resolve(" 2584 ").name == "Kiruna"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Stockholm", "0180"),
        ("stockholm", "0180"),
        ("göteborg", "1480"),
        ("Goteborg", "1480"),
        ("Gothenburg", "1480"),
        ("vaggeryd", "0665"),
        ("VAGGERYD", "0665"),
        ("Vaggeryds kommun", "0665"),
        ("Stockholms stad", "0180"),
        ("Göteborgs stad", "1480"),
        ("Malmö stad", "1280"),
        ("malung salen", "2023"),
        ("Malung-Sälen", "2023"),
        ("upplands vasby", "0114"),
        ("Upplands-Bro", "0139"),
        ("Region Gotland", "0980"),
        ("Falu kommun", "2080"),
        ("Borås Stad", "1490"),
        ("Marks kommun", "1463"),
        ("Dals-Eds kommun", "1438"),
        ("Lilla Edet", "1462"),
    ],
)
def test_resolve_by_name(registry, query, code):
    assert registry.resolve(query).code == code


def test_resolve_keeps_habo_and_habo_apart(registry):
    # "Håbo" (Uppsala län) and "Habo" (Jönköpings län) fold to the same letters.
    assert registry.resolve("Håbo").code == "0305"
    assert registry.resolve("Håbo kommun").code == "0305"
    assert registry.resolve("Habo").code == "0643"
    assert registry.resolve("habo kommun").code == "0643"


def test_unknown_name_suggests_close_matches(registry):
    with pytest.raises(UnknownMunicipality) as caught:
        registry.resolve("Vagerydd")
    assert "Vaggeryd" in caught.value.suggestions
    assert caught.value.suggestions[0] == "Vaggeryd"
    assert "Vaggeryd" in str(caught.value)


def test_unknown_name_without_close_match(registry):
    with pytest.raises(UnknownMunicipality) as caught:
        registry.resolve("Qwxz")
    assert caught.value.suggestions == []


def test_unknown_code_raises(registry):
    with pytest.raises(UnknownMunicipality):
        registry.get("9999")
    with pytest.raises(UnknownMunicipality):
        registry.resolve("9999")


def test_closest(registry):
    assert registry.closest("Kirunna")[0] == "Kiruna"


def test_fold():
    assert fold_name("Malung-Sälen") == "malung salen"
    assert fold_name("  Göteborgs   Stad ") == "goteborgs stad"


def test_the_cli_lists_every_municipality_with_its_website(tmp_path):
    import json
    listed = kommunvakt(None, "municipalities", "--json", cwd=tmp_path, timeout=60, env={"PATH": "/usr/bin:/bin"})

    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 290 and len({r["code"] for r in rows}) == 290
    assert all(set(r) == {"code", "name", "county", "website"} and r["website"].startswith("https://") for r in rows)
    assert {"code": "0665", "name": "Vaggeryd", "county": "Jönköpings län"}.items() <= next(
        r for r in rows if r["code"] == "0665").items()
