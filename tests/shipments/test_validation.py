"""The validator names every wrong field with a path, a code and a message; the fast path
and the full checker agree on what is valid and on the canonical content."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from shipments.validation import _fast, validate_fully, validate_shipment
from tests.shipments.factories import party, shipment_payload


def errors_of(payload: Any) -> dict[str, str]:
    valid, errors = validate_shipment(payload)
    assert valid is None
    return {error.field: error.code for error in errors}


def test_a_complete_shipment_is_valid_and_canonical() -> None:
    payload = shipment_payload("OK-1")
    valid, errors = validate_shipment(payload)
    assert errors == []
    assert valid is not None
    assert valid.content["reference"] == "OK-1"
    assert valid.content["items"][0]["unit_value"] == 9.5
    assert len(valid.content_hash) == 64


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"master_bill": "MB-1", "tracking_number": "1Z999"},
        {"seller": party("A Seller", "CN", identifier={"scheme": "USCC", "value": "9144"})},
    ],
)
def test_fast_path_and_full_checker_build_the_same_content(changes: dict[str, Any]) -> None:
    payload = shipment_payload("SAME-1", **changes)
    payload["items"].append(
        {
            "description": "Phone case",
            "hs_code": "392690",
            "quantity": 3,
            "unit_value": 4,  # an integer value: both paths store it as a number 4.0
            "origin_country": "VN",
            "manufacturer": party("Factory Ltd", "VN"),
        }
    )
    fast = _fast(payload)
    full, errors = validate_fully(payload)
    assert fast is not None
    assert full is not None
    assert errors == []
    assert fast.content == full.content
    assert fast.content_hash == full.content_hash


def test_text_that_needs_tidying_is_accepted_by_the_full_checker() -> None:
    payload = shipment_payload("  TIDY-1 ", currency="usd", mode="AIR")
    payload["items"][0]["hs_code"] = "6109.10"
    payload["items"][0]["origin_country"] = "cn"
    payload["port_of_arrival"] = "uslax"
    valid, errors = validate_shipment(payload)
    assert errors == []
    assert valid is not None
    item = valid.content["items"][0]
    assert (valid.content["reference"], valid.content["currency"], valid.content["mode"]) == (
        "TIDY-1",
        "USD",
        "air",
    )
    assert (item["hs_code"], item["origin_country"]) == ("610910", "CN")
    assert valid.content["port_of_arrival"] == "USLAX"


def test_every_wrong_field_is_named_with_its_path() -> None:
    payload = shipment_payload("BAD-1", mode="zeppelin", currency="XXY", packages=0)
    payload["items"][0]["hs_code"] = "12ab"
    payload["items"][0]["quantity"] = "two"
    payload["items"].append({"description": "x", "hs_code": "123456", "origin_country": "ZZ"})
    payload["consignee"]["address"]["country"] = "Narnia"
    payload["seller"]["nickname"] = "unknown"
    found = errors_of(payload)
    assert found == {
        "mode": "invalid_choice",
        "currency": "invalid_currency",
        "packages": "out_of_range",
        "items[0].hs_code": "invalid_format",
        "items[0].quantity": "invalid_type",
        "items[1].description": "too_short",
        "items[1].quantity": "required",
        "items[1].unit_value": "required",
        "items[1].origin_country": "invalid_country",
        "consignee.address.country": "too_long",
        "seller.nickname": "unknown_field",
    }
    _, errors = validate_shipment(payload)
    assert all(error.message for error in errors)


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"reference": None}, "reference", "required"),
        ({"reference": "R" * 65}, "reference", "too_long"),
        ({"reference": 12}, "reference", "invalid_type"),
        ({"reference": "a\x00b"}, "reference", "nul_character"),
        ({"carrier": "line\nbreak"}, "carrier", "control_character"),
        ({"house_bill": None}, "house_bill", "required"),
        ({"port_of_arrival": "LAX"}, "port_of_arrival", "invalid_format"),
        ({"port_of_arrival": "ZZABC"}, "port_of_arrival", "invalid_format"),
        ({"estimated_arrival": "2027-03-05T14:30:00"}, "estimated_arrival", "invalid_datetime"),
        ({"estimated_arrival": "next tuesday"}, "estimated_arrival", "invalid_datetime"),
        ({"estimated_arrival": "2099-01-01T00:00:00+00:00"}, "estimated_arrival", "out_of_range"),
        ({"gross_weight_kg": 0}, "gross_weight_kg", "out_of_range"),
        ({"gross_weight_kg": 1e300}, "gross_weight_kg", "out_of_range"),
        ({"gross_weight_kg": True}, "gross_weight_kg", "invalid_type"),
        ({"packages": 1.5}, "packages", "invalid_type"),
        ({"items": []}, "items", "out_of_range"),
        ({"items": "many"}, "items", "invalid_type"),
        ({"seller": "Bob"}, "seller", "invalid_type"),
        ({"shipper": None}, "shipper", "required"),
        ({"marketplace": {"name": "M", "url": "ftp://x"}}, "marketplace.url", "invalid_format"),
        ({"colour": "red"}, "colour", "unknown_field"),
    ],
)
def test_each_kind_of_bad_field(change: dict[str, Any], field: str, code: str) -> None:
    payload = shipment_payload("E-1")
    payload.update(change)
    if change.get("house_bill", "") is None:
        payload.pop("tracking_number", None)
    assert errors_of(payload).get(field) == code


def test_absurd_quantities_and_values_are_out_of_range() -> None:
    payload = shipment_payload("ABS-1")
    payload["items"][0]["quantity"] = 10**30
    payload["items"][0]["unit_value"] = -1
    assert errors_of(payload) == {
        "items[0].quantity": "out_of_range",
        "items[0].unit_value": "out_of_range",
    }


def test_the_total_value_has_a_ceiling() -> None:
    payload = shipment_payload("ABS-2")
    payload["items"] = [
        {**payload["items"][0], "quantity": 1_000_000, "unit_value": 10_000_000} for _ in range(2)
    ]
    assert errors_of(payload) == {"items": "out_of_range"}


def test_more_than_999_items_is_refused() -> None:
    payload = shipment_payload("MANY-1")
    payload["items"] = payload["items"] * 1000
    assert errors_of(payload) == {"items": "out_of_range"}


def test_a_shipment_that_is_not_an_object() -> None:
    assert errors_of(["a", "list"]) == {"": "invalid_type"}


def test_the_arrival_keeps_its_offset() -> None:
    moment = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    payload = shipment_payload("TZ-1", estimated_arrival=moment.isoformat().replace("+00:00", "Z"))
    valid, _ = validate_shipment(payload)
    assert valid is not None
    assert valid.estimated_arrival == moment
