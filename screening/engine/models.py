"""Plain, immutable records that every list parser produces and the matcher consumes.

A :class:`ListEntry` is one listed party exactly as one source list publishes it, reduced to the
fields screening needs. Records are frozen and slotted so that thousands of them stay cheap in
memory and can be hashed, compared and fingerprinted (see :mod:`screening.engine.diff`).

Conventions that must stay true for every parser:

* strings are stripped; an absent value is ``""`` (never ``None``) and an absent collection is
  ``()``, so two imports of the same data produce equal records;
* country codes are ISO 3166-1 alpha-2 in upper case, or ``""`` when the raw text could not be
  mapped; the raw text is kept next to the code;
* dates of birth are ISO-8601 strings of varying precision: ``"1960"``, ``"1960-01"``,
  ``"1960-01-31"``, or a year range ``"1958/1960"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EntityType = Literal["individual", "entity", "vessel", "aircraft", "unknown"]
ENTITY_TYPES: tuple[EntityType, ...] = ("individual", "entity", "vessel", "aircraft", "unknown")

AliasStrength = Literal["strong", "weak", ""]


class ParseError(ValueError):
    """A list file could not be read; ``location`` says where (line number or element path).

    The importer shows ``str(error)``, e.g. ``"sdn.csv line 12: expected 12 columns, got 11"``,
    so an operator can open the file at the offending line.
    """

    def __init__(self, message: str, location: int | str | None = None, source: str = "") -> None:
        self.message = message
        self.location = location
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        where = ""
        if isinstance(self.location, int):
            where = f"line {self.location}"
        elif self.location:
            where = str(self.location)
        prefix = " ".join(part for part in (self.source, where) if part)
        return f"{prefix}: {self.message}" if prefix else self.message


@dataclass(frozen=True, slots=True)
class Alias:
    """Another name the listed party is known by.

    ``alias_type`` is the list's own qualifier, lower-cased: ``"aka"`` (also known as),
    ``"fka"`` (formerly), ``"nka"`` (now known as), ``"original_script"`` (the name in its own
    script, UN lists), ``"acronym"`` (taken from parentheses in the name). ``strength`` is
    ``"strong"``/``"weak"`` when the list grades it (OFAC weak a.k.a.s, UN quality Low), else
    ``""``.
    """

    name: str
    alias_type: str = "aka"
    strength: AliasStrength = ""


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address as far as the list gives one; ``country`` is ISO alpha-2 or ``""``."""

    street: str = ""
    city: str = ""
    state_or_province: str = ""
    postal_code: str = ""
    country: str = ""
    country_raw: str = ""

    def as_text(self) -> str:
        """The address on one line, for display and for address-token comparison."""
        parts = (self.street, self.city, self.state_or_province, self.postal_code)
        text = ", ".join(part for part in parts if part)
        country = self.country_raw or self.country
        return f"{text}, {country}" if text and country else text or country


@dataclass(frozen=True, slots=True)
class Identifier:
    """An identity document or registration number (passport, tax id, IMO number, ...).

    ``id_type`` is the list's label (``"Passport"``, ``"Tax ID No."``); ``number`` is as published;
    ``country`` is the issuing country as ISO alpha-2 when derivable.
    """

    id_type: str
    number: str
    country: str = ""
    country_raw: str = ""


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One listed party from one list.

    ``source_id`` is the list's own stable key (OFAC ``ent_num``, UN ``DATAID``, CSL
    ``entity_number`` or ``_id``); lists without one (BIS DPL, some CSL rows) get a documented
    derived key, see the parser. ``(list_code, source_id)`` identifies an entry across imports.

    ``countries`` holds the ISO alpha-2 countries the list ties to the party itself (nationality,
    citizenship, vessel flag, issuer of its identifiers); address countries stay in
    ``addresses`` so that an import without addresses does not also change ``countries``.
    :meth:`all_countries` gives both. ``source_fields`` keeps the remaining raw source fields as
    ``(name, value)`` pairs so nothing the list said is lost.
    """

    source_id: str
    list_code: str
    entity_type: EntityType
    primary_name: str
    aliases: tuple[Alias, ...] = ()
    addresses: tuple[Address, ...] = ()
    countries: tuple[str, ...] = ()
    dates_of_birth: tuple[str, ...] = ()
    places_of_birth: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    programs: tuple[str, ...] = ()
    title: str = ""
    gender: str = ""
    remarks: str = ""
    source_fields: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        """``(list_code, source_id)``: the identity of this entry across list versions."""
        return (self.list_code, self.source_id)

    def all_countries(self) -> tuple[str, ...]:
        """``countries`` followed by the address countries, without repeats."""
        return tuple(
            dict.fromkeys((*self.countries, *(a.country for a in self.addresses if a.country)))
        )

    def all_names(self) -> tuple[str, ...]:
        """The primary name followed by every alias name, in list order."""
        return (self.primary_name, *(alias.name for alias in self.aliases))
