"""Which municipalities a text names: from the registry, not from a list in the code."""

from __future__ import annotations

import pytest

from monitor.analysis.linking import PlaceKind, linker_for, municipalities_in
from monitor.analysis.normalise import fold_in_place
from monitor.domain import Municipality
from monitor.municipalities import Registry


def linked(text: str, registry: Registry, owner: str | None = None) -> tuple[str, ...]:
    return municipalities_in(text, registry, owner)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Vaggeryds kommun tackar nej.", ("0665",)),
        ("Stockholms stad och Göteborgs stad.", ("0180", "1480")),
        ("Kirunas kommunalråd svarade.", ("2584",)),
        ("Gothenburg gives the same message.", ("1480",)),
        ("Gothenburg's city council said no.", ("1480",)),
        ("Kiruna's mayor and the city of Stockholm.", ("2584", "0180")),
        ("Övik och Hälsingborg.", ("2284", "1283")),
        ("Region Gotland säger nej, liksom Gotlands kommun.", ("0980",)),
        ("Upplands Väsby, Upplands-Bro, Malung-Sälen, Dals-Eds kommun och Lilla Edet.",
         ("0114", "0139", "2023", "1438", "1462")),
        ("GOTEBORG och LULEA skriver OCR utan prickar: Goteborg, Lulea.", ("1480", "2580")),
        ("Jokkmokk, Boden, Kiruna och Gällivare.", ("2510", "2582", "2584", "2523")),
    ],
)
def test_names_genitives_aliases_exonyms(text: str, codes: tuple[str, ...], registry) -> None:
    assert linked(text, registry) == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Mark kommun och Marks kommun.", ("1463",)),
        ("I Ale kommun säger man nej.", ("1440",)),
        ("Det säger kommunalrådet i Berg.", ("2326",)),
        ("I Sala har man inte bestämt sig.", ("1981",)),
        ("Bjuvs kommun och Hjo kommun.", ("1260", "1497")),
        ("Many have declined, including Jokkmokk, Kiruna, Malmö, Lund, Sala, and Växjö.",
         ("2510", "2584", "1280", "1281", "1981", "0780")),
        ("Habo, Mullsjö och Klippan.", ("0643", "0642", "1276")),
        ("Håbo kommun, inte Habo kommun.", ("0305", "0643")),
        ("Even Lund, governed by the Moderate Party, expressed criticism.", ("1281",)),
        ("Socialdemokratiskt styrda Vara tackar nej.", ("1470",)),
    ],
)
def test_ambiguous_names_with_context(text: str, codes: tuple[str, ...], registry) -> None:
    assert linked(text, registry) == codes


@pytest.mark.parametrize(
    "text",
    [
        "Mark och vatten. Mark tycker annat.",  # the first name, the noun
        "Alexander Bergström kom från Danmark.",  # Ale, Berg, Mark inside other words
        "I skolans salar talade man om moral.",  # Sala, Mora
        "I boden låg gamla papper. Boden var full.",  # the noun, even at a sentence start
        "Vara sig nu eller sedan.",
        "Anna Berg och Per Lund (M) skrev en debattartikel.",  # people
        "Nora Lindqvist (S) svarade.",
        "Lunds universitet och Uppsala University forskar om det.",
        "Göteborgs-Posten skriver.",
        "SD-Kiruna är inte en kommun.",
    ],
)
def test_words_people_and_institutions_are_not_municipalities(text: str, registry) -> None:
    assert linked(text, registry) == ()


@pytest.mark.parametrize(
    "text",
    [
        "Region Kalmar län säger nej.",
        "Kalmar län och Kalmar läns landsting.",
        "Region Stockholm och Stockholms län.",
        "Länsstyrelsen i Uppsala län.",
        "Kalmar County Council said no.",
        "In the Stockholm region, the county said no.",
    ],
)
def test_regions_and_counties_are_not_municipalities(text: str, registry) -> None:
    assert linked(text, registry) == ()


def test_regions_are_kept_as_regions(registry) -> None:
    places = linker_for(registry).places("Region Kalmar län säger nej.", fold_in_place("Region Kalmar län säger nej."))
    assert [(p.kind, p.code) for p in places] == [(PlaceKind.REGION, None)]


def test_owner_gives_an_ambiguous_name_its_context(registry) -> None:
    assert linked("Mora ska vara en stad för alla.", registry) == ()
    assert linked("Mora ska vara en stad för alla.", registry, owner="2062") == ("2062",)


def test_order_of_first_appearance(registry) -> None:
    assert linked("Luleå, sedan Kiruna, sedan Luleå igen.", registry) == ("2580", "2584")


def test_linking_follows_the_registry() -> None:
    registry = Registry((
        Municipality("9999", "Nyby", "Testlän", aliases=("Newtown",)),
        Municipality("9998", "Ek", "Testlän", ambiguous=True),
    ))
    assert linked("Nyby, Newtown och Nybys kommun. Ek kommun, men inte en ek.", registry) == ("9999", "9998")
