"""OFAC SDN list in its legacy CSV format: ``sdn.csv`` plus optional ``alt.csv`` and ``add.csv``.

The files have no header row and write null as ``-0-`` (often followed by a blank). Columns:

* ``sdn.csv``: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT,
  Vess_flag, Vess_owner, Remarks;
* ``alt.csv``: ent_num, alt_num, alt_type, alt_name, alt_remarks;
* ``add.csv``: ent_num, add_num, address, city/state/postal, country, add_remarks.

Quirks handled: CRLF line ends, a Ctrl-Z byte as the last line, Windows-1252 bytes in older
releases, several programs in one cell written ``"SDGT] [IFSR"``, an empty SDN_Type meaning an
entity, and facts embedded in Remarks (see :mod:`.ofac_remarks`). ``alt.csv`` names are strong
aliases; the a.k.a.s found in Remarks are OFAC's weak aliases. OFAC writes city, state and postal
code in one column of ``add.csv``; that text is kept in :attr:`Address.city`.

``sdn.csv`` is streamed; ``alt.csv`` and ``add.csv`` (a fraction of its size) are read into
memory first so each entry can be yielded complete.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator

from screening.engine.countries import country_code
from screening.engine.models import Address, Alias, EntityType, ListEntry, ParseError
from screening.engine.parsers._common import Source, clean, iter_lines, source_name, unique
from screening.engine.parsers.ofac_remarks import parse_remarks

SDN_COLUMNS = 12
ALT_COLUMNS = 5
ADD_COLUMNS = 6
_TYPES: dict[str, EntityType] = {
    "individual": "individual",
    "vessel": "vessel",
    "aircraft": "aircraft",
    "": "entity",
}
_SOURCE_FIELD_NAMES = (
    "call_sign",
    "vessel_type",
    "tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
)


def _rows(source: Source, columns: int) -> Iterator[tuple[int, list[str]]]:
    name = source_name(source)
    reader = csv.reader(iter_lines(source))
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != columns:
                raise ParseError(
                    f"expected {columns} columns, got {len(row)}", reader.line_num, name
                )
            ent_num = clean(row[0])
            if not ent_num.isdigit():
                raise ParseError(
                    f"ent_num must be a whole number, got {ent_num!r}", reader.line_num, name
                )
            yield reader.line_num, row
    except csv.Error as error:
        raise ParseError(f"malformed CSV: {error}", reader.line_num, name) from error


def _aliases(source: Source | None) -> dict[str, list[Alias]]:
    by_entry: dict[str, list[Alias]] = defaultdict(list)
    if source is None:
        return by_entry
    for line_number, row in _rows(source, ALT_COLUMNS):
        name = clean(row[3])
        if not name:
            raise ParseError("alt_name is empty", line_number, source_name(source))
        by_entry[clean(row[0])].append(Alias(name, clean(row[2]).lower() or "aka", "strong"))
    return by_entry


def _addresses(source: Source | None) -> dict[str, list[Address]]:
    by_entry: dict[str, list[Address]] = defaultdict(list)
    if source is None:
        return by_entry
    for _, row in _rows(source, ADD_COLUMNS):
        country_raw = clean(row[4])
        address = Address(
            street=clean(row[2]),
            city=clean(row[3]),
            country=country_code(country_raw),
            country_raw=country_raw,
        )
        if address != Address():
            by_entry[clean(row[0])].append(address)
    return by_entry


def parse_ofac_sdn(
    sdn: Source,
    alt: Source | None = None,
    add: Source | None = None,
    *,
    list_code: str = "SDN",
) -> Iterator[ListEntry]:
    """Yield one :class:`ListEntry` per row of ``sdn.csv``, joined with its aliases and addresses.

    Raises :class:`ParseError` (with the line number) on a row with the wrong column count, a
    missing or non-numeric ent_num, an empty name or a repeated ent_num.
    """
    aliases = _aliases(alt)
    addresses = _addresses(add)
    name = source_name(sdn)
    seen: dict[str, int] = {}
    for line_number, row in _rows(sdn, SDN_COLUMNS):
        ent_num = clean(row[0])
        if ent_num in seen:
            raise ParseError(
                f"ent_num {ent_num} repeats the entry of line {seen[ent_num]}", line_number, name
            )
        seen[ent_num] = line_number
        primary_name = clean(row[1])
        if not primary_name:
            raise ParseError(f"SDN_Name is empty for ent_num {ent_num}", line_number, name)
        sdn_type = clean(row[2]).lower()
        if sdn_type not in _TYPES:
            raise ParseError(f"unknown SDN_Type {row[2].strip()!r}", line_number, name)
        remarks = clean(row[11])
        facts = parse_remarks(remarks)
        entry_addresses = tuple(addresses.get(ent_num, ()))
        vessel_flag = clean(row[9])
        source_fields = tuple(
            (field, value)
            for field, value in zip(
                _SOURCE_FIELD_NAMES, (clean(cell) for cell in row[5:11]), strict=True
            )
            if value
        ) + tuple(("linked_to", linked) for linked in facts.linked_to)
        yield ListEntry(
            source_id=ent_num,
            list_code=list_code,
            entity_type=_TYPES[sdn_type],
            primary_name=primary_name,
            aliases=tuple(dict.fromkeys([*aliases.get(ent_num, ()), *facts.aliases])),
            addresses=entry_addresses,
            countries=unique(
                [
                    *(country_code(text) for text in facts.nationalities),
                    country_code(vessel_flag),
                    *(identifier.country for identifier in facts.identifiers),
                ]
            ),
            dates_of_birth=tuple(dob for dob in facts.dates_of_birth if dob),
            places_of_birth=facts.places_of_birth,
            identifiers=facts.identifiers,
            programs=unique([p.strip(" []") for p in clean(row[3]).split("] [")]),
            title=clean(row[4]),
            gender=facts.gender,
            remarks=remarks,
            source_fields=source_fields,
        )
