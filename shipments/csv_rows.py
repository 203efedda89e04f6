"""The CSV a shipper without an integration uploads in the portal: one row per item, rows
grouped into shipments by `reference`, turned into the same shipment documents the batch API
takes, so that one validator (the API's) judges both. No database here.

Row numbers are the ones a spreadsheet shows: the header is row 1, the first item row 2.
The shipment's own columns (everything not starting with `item_`) are read from the first
row of each reference; on its later rows they may be left empty or repeated, never changed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

PARTIES = ("seller", "shipper", "consignee")
PARTY_COLUMNS = (
    "name",
    "line1",
    "line2",
    "city",
    "region",
    "postal_code",
    "country",
    "identifier_scheme",
    "identifier_value",
    "email",
    "phone",
)
ADDRESS_PARTS = ("line1", "line2", "city", "region", "postal_code", "country")
SHIPMENT_COLUMNS = (
    "reference",
    "house_bill",
    "master_bill",
    "tracking_number",
    "mode",
    "carrier",
    "port_of_arrival",
    "estimated_arrival",
    "gross_weight_kg",
    "packages",
    "currency",
    "marketplace_name",
    "marketplace_url",
    *(f"{party}_{part}" for party in PARTIES for part in PARTY_COLUMNS),
)
MANUFACTURER_PARTS = ("name", "line1", "city", "postal_code", "country")
ITEM_COLUMNS = (
    "item_description",
    "item_hs_code",
    "item_quantity",
    "item_unit_value",
    "item_origin_country",
    "item_listing_url",
    *(f"item_manufacturer_{part}" for part in MANUFACTURER_PARTS),
)
COLUMNS = (*SHIPMENT_COLUMNS, *ITEM_COLUMNS)
INTEGER_COLUMNS = frozenset({"packages", "item_quantity"})
DECIMAL_COLUMNS = frozenset({"gross_weight_kg", "item_unit_value"})

MAX_ROWS = 20_000
MAX_SHIPMENTS = 5_000  # as in one API batch

TEMPLATE_EXAMPLE = {
    "reference": "ORDER-10001",
    "house_bill": "HB123456789",
    "tracking_number": "1Z999AA10123456784",
    "mode": "air",
    "carrier": "Example Air Cargo",
    "port_of_arrival": "4701",
    "estimated_arrival": "2026-12-03T14:00:00+00:00",
    "gross_weight_kg": "1.2",
    "packages": "1",
    "currency": "USD",
    "marketplace_name": "Example Market",
    "marketplace_url": "https://market.example/",
    "seller_name": "Harbourline Parcels Ltd",
    "seller_line1": "1 Dock Road",
    "seller_city": "Southampton",
    "seller_postal_code": "SO14 3XX",
    "seller_country": "GB",
    "shipper_name": "Harbourline Parcels Ltd",
    "shipper_line1": "1 Dock Road",
    "shipper_city": "Southampton",
    "shipper_postal_code": "SO14 3XX",
    "shipper_country": "GB",
    "consignee_name": "Jordan Smith",
    "consignee_line1": "200 Main Street",
    "consignee_city": "Springfield",
    "consignee_region": "IL",
    "consignee_postal_code": "62701",
    "consignee_country": "US",
    "item_description": "Cotton T-shirt, men's, knitted",
    "item_hs_code": "610910",
    "item_quantity": "2",
    "item_unit_value": "12.50",
    "item_origin_country": "GB",
}
TEMPLATE_SECOND_ITEM = {
    "reference": "ORDER-10001",
    "item_description": "Ceramic coffee mug",
    "item_hs_code": "691200",
    "item_quantity": "1",
    "item_unit_value": "8.00",
    "item_origin_country": "PT",
}


@dataclass(frozen=True)
class RowError:
    """A problem with one cell (or a whole row when `column` is empty)."""

    row: int
    column: str
    message: str
    reference: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "reference": self.reference,
        }


@dataclass
class ParsedUpload:
    """Shipment documents in first-seen order, with the CSV rows each came from (the item
    rows, in item order), and the errors found before validation."""

    shipments: list[dict[str, Any]] = field(default_factory=list)
    rows: list[list[int]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def template_csv() -> str:
    """The template to download: the header and one two-item example shipment."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow({c: TEMPLATE_EXAMPLE.get(c, "") for c in COLUMNS})
    writer.writerow({c: TEMPLATE_SECOND_ITEM.get(c, "") for c in COLUMNS})
    return out.getvalue()


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise ValueError("The file contains NUL bytes: it is not a CSV text file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(
            f"The file is not UTF-8 text (byte {error.start + 1}). Save it as "
            '"CSV UTF-8" and upload it again.'
        ) from error


def _number(column: str, value: str) -> tuple[Any, str]:
    """The cell as a number for the API's validator, or an error message."""
    if column in INTEGER_COLUMNS:
        if not re.fullmatch(r"[+-]?\d{1,9}", value):
            return None, f'"{value}" is not a whole number.'
        return int(value), ""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None, f'"{value}" is not a number (use a dot for decimals, no thousands separator).'
    if not number.is_finite():
        return None, f'"{value}" is not a number.'
    return number, ""


def _party(values: Mapping[str, Any], prefix: str, parts: Sequence[str]) -> dict[str, Any] | None:
    cells = {part: values.get(f"{prefix}_{part}", "") for part in parts}
    if not any(cells.values()):
        return None
    party: dict[str, Any] = {"name": cells["name"]}
    party["address"] = {p: cells[p] for p in ADDRESS_PARTS if cells.get(p)}
    if cells.get("identifier_scheme") or cells.get("identifier_value"):
        party["identifier"] = {
            "scheme": cells.get("identifier_scheme", ""),
            "value": cells.get("identifier_value", ""),
        }
    for extra in ("email", "phone"):
        if cells.get(extra):
            party[extra] = cells[extra]
    return party


def _shipment(values: Mapping[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for column in SHIPMENT_COLUMNS[:11]:
        if values.get(column, "") != "":
            document[column] = values[column]
    if values.get("marketplace_name") or values.get("marketplace_url"):
        document["marketplace"] = {
            k: values[f"marketplace_{k}"] for k in ("name", "url") if values.get(f"marketplace_{k}")
        }
    for party in PARTIES:
        built = _party(values, party, PARTY_COLUMNS)
        if built is not None:
            document[party] = built
    document["items"] = []
    return document


def _item(values: Mapping[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for column in ITEM_COLUMNS[:6]:
        if values.get(column, "") != "":
            item[column.removeprefix("item_")] = values[column]
    manufacturer = _party(values, "item_manufacturer", MANUFACTURER_PARTS)
    if manufacturer is not None:
        item["manufacturer"] = manufacturer
    return item


def _cells(raw: Mapping[str, Any], row: int, errors: list[RowError]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    reference = str(raw.get("reference") or "").strip()
    for column in COLUMNS:
        text = str(raw.get(column) or "").strip()
        if text and (column in INTEGER_COLUMNS or column in DECIMAL_COLUMNS):
            number, problem = _number(column, text)
            if problem:
                errors.append(RowError(row, column, problem, reference))
                continue
            values[column] = number
        else:
            values[column] = text
    return values


def parse_upload(data: bytes) -> ParsedUpload:
    """Read the file into shipment documents; structural problems (header, encoding, too
    many rows) raise ValueError with a message for the uploader; cell problems are listed."""
    text = _decode(data)
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey="__extra__")
    header = [name.strip() for name in (reader.fieldnames or [])]
    if not header:
        raise ValueError("The file is empty: download the template and fill it in.")
    reader.fieldnames = header
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise ValueError(
            f"Unknown column(s) in row 1: {', '.join(unknown)}. Use the template's columns."
        )
    if len(set(header)) != len(header):
        raise ValueError("A column appears twice in row 1.")
    for required in ("reference", "item_description"):
        if required not in header:
            raise ValueError(f'Row 1 has no "{required}" column. Use the template\'s columns.')
    parsed = ParsedUpload()
    by_reference: dict[str, int] = {}
    first_values: list[dict[str, Any]] = []
    for raw in reader:
        row = reader.line_num
        if row - 1 > MAX_ROWS:
            raise ValueError(f"The file has more than {MAX_ROWS:,} item rows; split it.")
        if raw.get("__extra__"):
            parsed.errors.append(RowError(row, "", "The row has more cells than the header."))
            continue
        if not any(str(v or "").strip() for v in raw.values()):
            continue  # a blank line, as spreadsheets leave at the end
        values = _cells(raw, row, parsed.errors)
        reference = values["reference"]
        if not reference:
            parsed.errors.append(RowError(row, "reference", "Every row needs a reference."))
            continue
        index = by_reference.get(reference)
        if index is None:
            if len(parsed.shipments) >= MAX_SHIPMENTS:
                raise ValueError(f"The file has more than {MAX_SHIPMENTS:,} shipments; split it.")
            index = by_reference[reference] = len(parsed.shipments)
            parsed.shipments.append(_shipment(values))
            parsed.rows.append([])
            first_values.append(values)
        else:
            first_row = parsed.rows[index][0] if parsed.rows[index] else row
            for column in SHIPMENT_COLUMNS:
                value = values.get(column, "")
                if value not in ("", None) and value != first_values[index].get(column, ""):
                    parsed.errors.append(
                        RowError(
                            row,
                            column,
                            f"Differs from row {first_row}, the first row of shipment "
                            f"{reference}; leave it empty or repeat the same value.",
                            reference,
                        )
                    )
        parsed.shipments[index]["items"].append(_item(values))
        parsed.rows[index].append(row)
    if not parsed.shipments and not parsed.errors:
        raise ValueError("The file has a header but no item rows.")
    return parsed


_ITEM_PATH = re.compile(r"^items\[(\d+)\](?:\.(.*))?$")


def column_for(path: str) -> tuple[int | None, str]:
    """The item index (None for the shipment's own fields) and the CSV column of a field
    path the validator reports, e.g. "items[1].hs_code" -> (1, "item_hs_code")."""
    item_index: int | None = None
    match = _ITEM_PATH.match(path)
    prefix = ""
    if match:
        item_index = int(match.group(1))
        path = match.group(2) or ""
        prefix = "item_"
    parts = [p for p in path.split(".") if p]
    if not parts:
        return item_index, ""
    if parts[0] in {*PARTIES, "manufacturer"}:
        party = parts[0]
        leaf = parts[-1] if len(parts) > 1 else "name"
        if len(parts) > 2 and parts[1] == "identifier":
            leaf = f"identifier_{parts[2]}"
        elif len(parts) == 2 and parts[1] in {"address", "identifier"}:
            leaf = "line1" if parts[1] == "address" else "identifier_value"
        column = f"{prefix}{party}_{leaf}"
    elif parts[0] == "marketplace":
        column = f"marketplace_{parts[1] if len(parts) > 1 else 'name'}"
    else:
        column = prefix + parts[0]
    return item_index, column if column in COLUMNS else ""


def row_errors(
    parsed: ParsedUpload, index: int, errors: Iterable[Mapping[str, Any]]
) -> list[RowError]:
    """The validator's errors for shipment `index` placed on their CSV rows and columns."""
    rows = parsed.rows[index]
    reference = str(parsed.shipments[index].get("reference", ""))
    placed = []
    for error in errors:
        path = str(error.get("field") or "")
        item_index, column = column_for(path)
        row = rows[item_index] if item_index is not None and item_index < len(rows) else rows[0]
        message = str(error.get("message") or error.get("code") or "Invalid value.")
        if not column and path:
            message = f"{path}: {message}"
        placed.append(RowError(row, column, message, reference))
    return placed
