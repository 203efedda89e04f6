"""Sanctioned places recognised by name (core/reference/data/sanctioned_place_names.yaml):
Crimea and Sevastopol (EO 13685, 31 CFR 589) and the so-called DNR and LNR regions (EO 14065)
when an address names them instead of giving an ISO 3166-2 code."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.reference.places import (
    PLACE_NAMES_FILE,
    fold_words,
    load_place_names,
    sanctioned_places_named,
    sanctioned_region_named,
)


@pytest.mark.parametrize(
    ("parts", "country", "code"),
    [
        (("Simferopol",), "RU", "UA-43"),
        (("ul. Kirova 5", "Симферополь"), "RU", "UA-43"),
        (("вул. Пушкіна 3", "Сімферополь"), "UA", "UA-43"),
        (("Kerch",), "", "UA-43"),
        (("Yalta", "Respublika Krym"), "RU", "UA-43"),
        (("Yevpatoriya",), "RU", "UA-43"),
        (("Evpatoria",), "RU", "UA-43"),
        (("Feodosiya",), "RU", "UA-43"),
        (("Джанкой",), "RU", "UA-43"),
        (("Republic of Crimea",), "", "UA-43"),
        (("Крим",), "UA", "UA-43"),
        (("Sevastopol",), "RU", "UA-40"),
        (("Севастополь",), "", "UA-40"),
        (("Donetsk",), "UA", "UA-14"),
        (("Донецьк",), "UA", "UA-14"),
        (("Донецк",), "RU", "UA-14"),
        (("Donets'k",), "UA", "UA-14"),
        (("Makeevka",), "RU", "UA-14"),
        (("Horlivka",), "UA", "UA-14"),
        (("Donetsk People's Republic",), "", "UA-14"),
        (("DNR",), "RU", "UA-14"),
        (("Luhansk",), "UA", "UA-09"),
        (("Lugansk",), "RU", "UA-09"),
        (("Луганськ",), "UA", "UA-09"),
        (("Луганск",), "RU", "UA-09"),
        (("Alchevsk",), "UA", "UA-09"),
        (("LNR",), "", "UA-09"),
    ],
)
def test_eo_13685_and_eo_14065_places_are_recognised_by_name(
    parts: tuple[str, ...], country: str, code: str
) -> None:
    assert sanctioned_region_named(*parts, country=country) == code


@pytest.mark.parametrize(
    ("parts", "country"),
    [
        (("1234 NE Airport Way", "Portland", "OR", "97220"), "US"),
        (("10 Downing Street", "London", "SW1A 2AA"), "GB"),
        (("Sebastopol", "CA", "95472"), "US"),  # Sebastopol, California
        (("ulitsa Donetskaya 4", "Moskva"), "RU"),  # a street named after the city
        (("Sevastopolsky prospekt 3", "Moscow"), "RU"),
        (("Donetsk", "Rostovskaya oblast"), "RU"),  # Donetsk in Russia's Rostov oblast
        (("Khreshchatyk 22", "Kyiv"), "UA"),
        (("ul. Deribasovskaya 1", "Odesa"), "UA"),
        (("Yalta Street 9", "Brooklyn", "NY"), "US"),
        (("Kerchner Str. 4", "Berlin"), "DE"),
        (("Krymsky Val 10", "Moscow"), "RU"),
        (("Донецкая улица 10", "Москва"), "RU"),
        (("Севастопольский проспект 28", "Москва"), "RU"),
    ],
)
def test_ordinary_addresses_name_no_sanctioned_place(parts: tuple[str, ...], country: str) -> None:
    assert sanctioned_places_named(*parts, country=country) == ()


def test_the_longer_name_is_reported_and_each_region_once() -> None:
    mentions = sanctioned_places_named(
        "Donetsk People's Republic, Donetsk", "Simferopol", country=""
    )

    assert [(m.code, m.name) for m in mentions] == [
        ("UA-14", "Donetsk People's Republic"),
        ("UA-43", "Simferopol"),
    ]


def test_folding_is_case_accent_and_apostrophe_blind() -> None:
    assert fold_words("DONETS\u2019K, Feodosiïa") == ("donetsk", "feodosiia")
    assert fold_words("Джанкой") == fold_words("джанкои")


def test_every_place_is_a_region_of_the_sanctioned_countries_file() -> None:
    names = load_place_names()
    assert {name.code for name in names} == {"UA-43", "UA-40", "UA-14", "UA-09"}


def test_a_place_that_is_not_a_sanctioned_region_is_refused(tmp_path: Path) -> None:
    text = PLACE_NAMES_FILE.read_text(encoding="utf-8").replace("code: UA-40", "code: UA-51", 1)
    path = tmp_path / "names.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ValueError, match=r"UA-51 is not a place of sanctioned_countries\.yaml"):
        load_place_names(path)


def test_a_name_given_twice_is_refused(tmp_path: Path) -> None:
    text = PLACE_NAMES_FILE.read_text(encoding="utf-8").replace("- Balaklava", "- Yalta", 1)
    path = tmp_path / "names.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(ValueError, match=r"name 'Yalta' is already given for UA-43"):
        load_place_names(path)
