"""Sanctioned places recognised by name in an address (``data/sanctioned_place_names.yaml``):
Crimea, Sevastopol and the so-called DNR and LNR regions by their cities and region names in
Latin, Russian and Ukrainian spellings, so that "Simferopol, RU" is caught as the region
code UA-43 would be. Dates and citations stay with the region code
(:mod:`core.reference.sanctions`)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from core.reference.sanctions import SANCTIONED_COUNTRIES_FILE, load_sanctioned_countries
from core.reference.yaml_source import YamlSource

PLACE_NAMES_FILE = Path(__file__).resolve().parent / "data" / "sanctioned_place_names.yaml"

# ASCII, right and left single quotation marks, modifier letter apostrophe, grave, acute.
_APOSTROPHES = re.compile("['\u2019\u2018\u02bc`\u00b4]")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A sanctioned place named in a text: ``code`` is its region code (``UA-43``),
    ``name`` the name as written in the data, ``matched`` the words of the text."""

    code: str
    name: str
    matched: str


@dataclass(frozen=True, slots=True)
class _Name:
    code: str
    name: str
    words: tuple[str, ...]
    countries: frozenset[str]
    unless: frozenset[str]


def fold_words(text: str) -> tuple[str, ...]:
    """The words of ``text`` compared case-, accent- and apostrophe-blind: "Donets'k" and
    "DONETSK" give the same word, and Cyrillic keeps its letters (``й`` folds to ``и`` on
    both sides)."""
    text = _APOSTROPHES.sub("", text)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in decomposed if not unicodedata.combining(char))
    return tuple(_WORD.findall(text.casefold()))


def sanctioned_places_named(*texts: str, country: str = "") -> tuple[PlaceMention, ...]:
    """Every sanctioned place named (whole words) in the parts of one address, once per
    region code, in the order found. ``country`` is the address's ISO alpha-2 country; a
    name counts only where the data expects it (an address in Ukraine or Russia) or when
    the country is unknown."""
    country = country.strip().upper()
    if country and country not in _countries():
        return ()
    return _named(tuple(texts), country)


@functools.lru_cache(maxsize=16384)
def _named(texts: tuple[str, ...], country: str) -> tuple[PlaceMention, ...]:
    # Shipment parties repeat (the same sellers and warehouses), hence the cache.
    words = fold_words(" , ".join(text for text in texts if text))
    if not words:
        return ()
    index = _index()
    present = frozenset(words)
    found: dict[str, PlaceMention] = {}
    for position, word in enumerate(words):
        for name in index.get(word, ()):
            if name.code in found:
                continue
            if words[position : position + len(name.words)] != name.words:
                continue
            if country and country not in name.countries:
                continue
            if name.unless & present:
                continue
            matched = " ".join(words[position : position + len(name.words)])
            found[name.code] = PlaceMention(name.code, name.name, matched)
    return tuple(found.values())


def sanctioned_region_named(*texts: str, country: str = "") -> str:
    """The region code of the first sanctioned place named in the address parts, or ``""``."""
    mentions = sanctioned_places_named(*texts, country=country)
    return mentions[0].code if mentions else ""


@functools.cache
def _countries(path: Path = PLACE_NAMES_FILE) -> frozenset[str]:
    return frozenset(country for name in load_place_names(path) for country in name.countries)


@functools.cache
def _index(path: Path = PLACE_NAMES_FILE) -> dict[str, tuple[_Name, ...]]:
    index: dict[str, list[_Name]] = {}
    for name in load_place_names(path):
        index.setdefault(name.words[0], []).append(name)
    # Longer names first, so "Donetsk People's Republic" is reported rather than "Donetsk".
    return {
        word: tuple(sorted(names, key=lambda n: -len(n.words))) for word, names in index.items()
    }


@functools.cache
def load_place_names(
    path: Path = PLACE_NAMES_FILE, regions_path: Path = SANCTIONED_COUNTRIES_FILE
) -> tuple[_Name, ...]:
    """Every name in the file, checked: each place's code must be a region of
    ``sanctioned_countries.yaml``; ``ValueError`` naming the file and place otherwise."""
    source = YamlSource(path)
    root = source.load()
    source.check_keys(root, "the top level", required={"version", "places"})
    source.version(root)
    regions = {entry.code for entry in load_sanctioned_countries(regions_path)}
    names: list[_Name] = []
    seen: dict[tuple[str, ...], str] = {}
    for index, data in enumerate(source.sequence(root, "places", "the top level")):
        where = f"places[{index}]"
        place = source.mapping(data, where)
        source.check_keys(
            place, where, required={"code", "countries", "names"}, optional={"unless"}
        )
        code = source.text(place, "code", where)
        where = f"places[{index}] ({code})"
        if code not in regions:
            raise source.error(where, f"{code} is not a place of sanctioned_countries.yaml")
        countries = frozenset(
            source.scalar_text(item, where).upper()
            for item in source.sequence(place, "countries", where)
        )
        unless = _unless(source, place, where)
        for item in source.sequence(place, "names", where):
            text = source.scalar_text(item, f"{where} names")
            words = fold_words(text)
            if not words:
                raise source.error(where, f"name {text!r} has no letters")
            if words in seen:
                raise source.error(where, f"name {text!r} is already given for {seen[words]}")
            seen[words] = code
            names.append(_Name(code, text, words, countries, frozenset(unless.pop(text, ()))))
        if unless:
            raise source.error(where, f"unless names {sorted(unless)} are not among its names")
    return tuple(names)


def _unless(source: YamlSource, place: Mapping[str, object], where: str) -> dict[str, set[str]]:
    data = source.mapping(place.get("unless") or {}, where)
    return {
        str(name): {word for item in _items(source, words, where) for word in fold_words(item)}
        for name, words in data.items()
    }


def _items(source: YamlSource, value: object, where: str) -> Iterable[str]:
    if not isinstance(value, list):
        raise source.error(where, "each unless entry must be a list of words")
    return [source.scalar_text(item, where) for item in value]
