"""BIS Denied Persons List, tab-separated (``dpl.txt``).

Header: Name, Street_Address, City, State, Country, Postal_Code, Effective_Date,
Expiration_Date, Standard_Order, Last_Update, Action, FR_Citation (cells usually quoted, dates
``MM/DD/YYYY``). The list has no entry key and repeats a denied person once per address, so rows
with the same name and effective date that follow each other become one entry with several
addresses. Its ``source_id`` is ``"h:"`` + 16 hex digits of SHA-256 over the upper-cased name and
the effective date: stable across releases as long as the order itself does not change.
The DPL does not say whether a party is a person or a company: ``entity_type`` is ``"unknown"``.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator

from screening.engine.countries import country_code
from screening.engine.models import Address, ListEntry, ParseError
from screening.engine.parsers._common import Source, clean, iter_lines, parse_date, source_name

COLUMNS = (
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "Standard_Order",
    "Last_Update",
    "Action",
    "FR_Citation",
)
LIST_CODE = "DPL"


def _key(name: str, effective_date: str) -> str:
    basis = f"{name.upper()}|{effective_date}"
    return "h:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def parse_bis_dpl(source: Source, *, list_code: str = LIST_CODE) -> Iterator[ListEntry]:
    """Yield the Denied Persons List entries.

    Raises :class:`ParseError` when the header is not the DPL header, a row has the wrong number
    of cells, or a row has no name.
    """
    name = source_name(source)
    reader = csv.reader(iter_lines(source), delimiter="\t")
    pending: ListEntry | None = None
    try:
        header = tuple(cell.strip() for cell in next(reader, []))
        if header != COLUMNS:
            raise ParseError(
                "not a Denied Persons List file: the header must be " + "\\t".join(COLUMNS),
                1,
                name,
            )
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != len(COLUMNS):
                raise ParseError(
                    f"expected {len(COLUMNS)} tab-separated cells, got {len(row)}",
                    reader.line_num,
                    name,
                )
            cells = dict(zip(COLUMNS, (clean(cell) for cell in row), strict=True))
            if not cells["Name"]:
                raise ParseError("Name is empty", reader.line_num, name)
            effective = parse_date(cells["Effective_Date"]) or cells["Effective_Date"]
            address = Address(
                street=cells["Street_Address"],
                city=cells["City"],
                state_or_province=cells["State"],
                postal_code=cells["Postal_Code"],
                country=country_code(cells["Country"]),
                country_raw=cells["Country"],
            )
            source_id = _key(cells["Name"], effective)
            if pending is not None and pending.source_id == source_id:
                pending = _with_address(pending, address)
                continue
            if pending is not None:
                yield pending
            pending = ListEntry(
                source_id=source_id,
                list_code=list_code,
                entity_type="unknown",
                primary_name=cells["Name"],
                addresses=(address,) if address != Address() else (),
                source_fields=tuple(
                    (field, value)
                    for field, value in (
                        ("effective_date", effective),
                        (
                            "expiration_date",
                            parse_date(cells["Expiration_Date"]) or cells["Expiration_Date"],
                        ),
                        ("standard_order", cells["Standard_Order"]),
                        ("last_update", cells["Last_Update"]),
                        ("action", cells["Action"]),
                        ("federal_register_citation", cells["FR_Citation"]),
                    )
                    if value
                ),
            )
    except csv.Error as error:
        raise ParseError(f"malformed TSV: {error}", reader.line_num, name) from error
    if pending is not None:
        yield pending


def _with_address(entry: ListEntry, address: Address) -> ListEntry:
    if address == Address() or address in entry.addresses:
        return entry
    return ListEntry(
        source_id=entry.source_id,
        list_code=entry.list_code,
        entity_type=entry.entity_type,
        primary_name=entry.primary_name,
        aliases=entry.aliases,
        addresses=(*entry.addresses, address),
        source_fields=entry.source_fields,
    )
