"""Facts and snapshots for the targeting tests (no database)."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from core.reference.sanctions import load_sanctioned_countries
from shipments.targeting import (
    Item,
    Party,
    RuleKind,
    RuleSpec,
    ShipmentFacts,
    Snapshot,
    Standing,
    compile_snapshot,
)
from shipments.targeting.catalogue import load_rule_file
from shipments.targeting.engine.compiled import ReferenceData, WatchedPlace

ARRIVAL = datetime.datetime(2026, 12, 3, 14, 0, tzinfo=datetime.UTC)
RESHIPPER = WatchedPlace(
    id=1,
    label="Parcel Forward LLC",
    category="reshipper",
    country="US",
    postal_code="97230",
    street="1234 NE Airport Way",
)


def party(role: str = "consignee", **fields: Any) -> Party:
    values: dict[str, Any] = {
        "role": role,
        "name": "Jane Doe",
        "country": "US",
        "address_lines": ("12 Oak Street",),
        "city": "Portland",
        "postal_code": "97201",
    }
    if role in {"seller", "shipper", "manufacturer"}:
        values.update(
            name="Shenzhen Bright Trading Co", country="CN", city="Shenzhen", postal_code="518000"
        )
    values.update(fields)
    return Party(**values)


def item(**fields: Any) -> Item:
    values: dict[str, Any] = {
        "description": "Ceramic coffee mug",
        "hs_code": "691200",
        "quantity": 2,
        "unit_value": 12.0,
        "origin_country": "CN",
    }
    values.update(fields)
    return Item(**values)


def facts(**fields: Any) -> ShipmentFacts:
    values: dict[str, Any] = {
        "organisation_id": 1,
        "standing": Standing.NONE,
        "first_shipment": False,
        "mode": "air",
        "port": "2720",
        "estimated_arrival": ARRIVAL,
        "currency": "USD",
        "total_value": 24.0,
        "gross_weight_kg": 1.5,
        "packages": 1,
        "parties": (party("seller"), party("consignee")),
        "items": (item(),),
        "screening": (),
    }
    values.update(fields)
    return ShipmentFacts(**values)


def with_(shipment: ShipmentFacts, **changes: Any) -> ShipmentFacts:
    return dataclasses.replace(shipment, **changes)


def rule(kind: RuleKind = RuleKind.CONDITIONS, **fields: Any) -> RuleSpec:
    values: dict[str, Any] = {
        "code": "test-rule",
        "version": 1,
        "kind": kind,
        "name": "Test rule",
        "reason": "Test reason",
        "weight": 50.0,
    }
    values.update(fields)
    return RuleSpec(**values)


def snapshot(*rules: RuleSpec, **reference: Any) -> Snapshot:
    data: dict[str, Any] = {
        "watched": (RESHIPPER,),
        "sanctioned": load_sanctioned_countries(),
    }
    data.update(reference)
    return compile_snapshot(version=7, rules=rules, reference=ReferenceData(**data))


def catalogue_snapshot(**reference: Any) -> Snapshot:
    specs = []
    for number, row in enumerate(load_rule_file(), start=1):
        specs.append(RuleSpec(version=1, rule_id=number, **row))
    return snapshot(*specs, **reference)
