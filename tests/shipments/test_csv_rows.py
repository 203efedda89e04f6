"""The CSV upload's reading: rows grouped into shipment documents, per-row errors, and the
validator's field paths placed back on their rows and columns. No database."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from shipments import csv_rows


def _csv(rows: list[dict[str, str]], columns: tuple[str, ...] = csv_rows.COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


def test_the_template_parses_into_one_shipment_with_two_items() -> None:
    parsed = csv_rows.parse_upload(csv_rows.template_csv().encode("utf-8-sig"))
    assert parsed.errors == []
    assert len(parsed.shipments) == 1
    shipment = parsed.shipments[0]
    assert shipment["reference"] == "ORDER-10001"
    assert shipment["packages"] == 1
    assert shipment["gross_weight_kg"] == Decimal("1.2")
    assert shipment["seller"]["address"]["country"] == "GB"
    assert shipment["consignee"]["address"]["region"] == "IL"
    assert shipment["marketplace"] == {"name": "Example Market", "url": "https://market.example/"}
    assert [item["hs_code"] for item in shipment["items"]] == ["610910", "691200"]
    assert shipment["items"][0]["unit_value"] == Decimal("12.50")
    assert parsed.rows == [[2, 3]]


def test_rows_are_grouped_by_reference_in_first_seen_order() -> None:
    base = dict(csv_rows.TEMPLATE_EXAMPLE)
    rows = [
        {**base, "reference": "A"},
        {**base, "reference": "B"},
        {"reference": "A", "item_description": "Second", "item_hs_code": "123456"},
    ]
    parsed = csv_rows.parse_upload(_csv(rows))
    assert [s["reference"] for s in parsed.shipments] == ["A", "B"]
    assert parsed.rows == [[2, 4], [3]]
    assert len(parsed.shipments[0]["items"]) == 2


def test_a_changed_shipment_column_on_a_later_row_is_an_error_on_that_row() -> None:
    base = dict(csv_rows.TEMPLATE_EXAMPLE)
    rows = [base, {**base, "port_of_arrival": "2704"}]
    parsed = csv_rows.parse_upload(_csv(rows))
    assert parsed.errors == [
        csv_rows.RowError(
            3,
            "port_of_arrival",
            "Differs from row 2, the first row of shipment ORDER-10001; leave it empty or "
            "repeat the same value.",
            "ORDER-10001",
        )
    ]


def test_bad_numbers_and_a_missing_reference_are_reported_with_row_and_column() -> None:
    base = dict(csv_rows.TEMPLATE_EXAMPLE)
    rows = [{**base, "item_quantity": "two", "gross_weight_kg": "1,5"}, {**base, "reference": ""}]
    parsed = csv_rows.parse_upload(_csv(rows))
    found = {(e.row, e.column) for e in parsed.errors}
    assert found == {(2, "item_quantity"), (2, "gross_weight_kg"), (3, "reference")}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"reference,colour\r\nA,red\r\n", "Unknown column(s) in row 1: colour"),
        (b"reference,item_description\r\nA\x00,x\r\n", "NUL bytes"),
        ("reference,item_description\r\nA,caf\u00e9\r\n".encode("latin-1"), "not UTF-8"),
        (b"reference,item_description\r\n", "no item rows"),
        (b"reference\r\nA\r\n", 'no "item_description" column'),
    ],
)
def test_structural_problems_are_refused_with_a_message(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        csv_rows.parse_upload(data)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("items[1].hs_code", (1, "item_hs_code")),
        ("items[0].manufacturer.address.country", (0, "item_manufacturer_country")),
        ("items[0]", (0, "")),
        ("seller.address.city", (None, "seller_city")),
        ("consignee.name", (None, "consignee_name")),
        ("shipper.identifier.scheme", (None, "shipper_identifier_scheme")),
        ("marketplace.url", (None, "marketplace_url")),
        ("port_of_arrival", (None, "port_of_arrival")),
        ("items", (None, "")),
    ],
)
def test_validator_paths_map_to_csv_columns(path: str, expected: tuple) -> None:
    assert csv_rows.column_for(path) == expected


def test_validator_errors_land_on_the_item_row() -> None:
    base = dict(csv_rows.TEMPLATE_EXAMPLE)
    parsed = csv_rows.parse_upload(_csv([base, {"reference": base["reference"]}]))
    placed = csv_rows.row_errors(
        parsed,
        0,
        [
            {"field": "items[1].hs_code", "code": "required", "message": "Required."},
            {"field": "mode", "code": "choice", "message": "Not a mode."},
        ],
    )
    assert [(e.row, e.column, e.message) for e in placed] == [
        (3, "item_hs_code", "Required."),
        (2, "mode", "Not a mode."),
    ]
