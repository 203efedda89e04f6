"""Shipments in the states officers meet them, made directly (the filing path has its own
tests): decided for review or hold, with the reasons targeting writes."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from django.utils import timezone

from shipments.models import Decision, Shipment, ShipmentStatus, ShipmentVersion
from shippers.models import Organisation

_numbers = count(1)

HOLD_REASON = {
    "rule": "ipr-prone-goods",
    "version": 1,
    "code": "conditions",
    "title": "Goods often counterfeited",
    "explanation": "Item 1 'designer handbag' matched keyword 'designer'.",
    "weight": 40.0,
    "shadow": False,
    "filer_message": "Selected for examination on arrival.",
}


def content(reference: str, **changes: Any) -> dict[str, Any]:
    document = {
        "reference": reference,
        "house_bill": f"HB{reference}",
        "mode": "air",
        "port_of_arrival": "4701",
        "estimated_arrival": "2026-12-03T10:00:00+00:00",
        "currency": "USD",
        "items": [
            {
                "description": "Designer handbag",
                "hs_code": "420221",
                "quantity": 1,
                "unit_value": 40.0,
                "origin_country": "CN",
            }
        ],
    }
    document.update(changes)
    return document


def make_shipment(
    organisation: Organisation,
    *,
    decision: str = Decision.HOLD,
    status: str = ShipmentStatus.DECIDED,
    reasons: list[dict[str, Any]] | None = None,
    arrival: datetime | None = None,
    port: str = "4701",
    reference: str = "",
    total_value: Decimal = Decimal("40.00"),
    versions: list[dict[str, Any]] | None = None,
) -> Shipment:
    number = next(_numbers)
    reference = reference or f"REF-{number:06d}"
    now = timezone.now()
    arrival = arrival or now + timedelta(hours=6)
    docs = versions or [content(reference)]
    shipment = Shipment.objects.create(
        organisation=organisation,
        reference=reference,
        version=len(docs),
        content_hash=hashlib.sha256(reference.encode()).hexdigest(),
        status=status,
        mode="air",
        house_bill=f"HB{number:08d}",
        port_of_arrival=port,
        estimated_arrival=arrival,
        currency="USD",
        total_value=total_value,
        gross_weight_kg=Decimal("1.000"),
        packages=1,
        item_count=1,
        origin_countries=["CN"],
        hs_codes=["420221"],
        seller_name="Shenzhen Example Trading",
        seller_country="CN",
        shipper_name="Shenzhen Example Trading",
        shipper_country="CN",
        consignee_name="Jordan Smith",
        consignee_country="US",
        consignee_key=hashlib.sha256(b"jordan").hexdigest(),
        risk_level="high" if decision == Decision.HOLD else "medium",
        decision=decision,
        risk_score=80.0,
        risk_reasons=[HOLD_REASON] if reasons is None else reasons,
        decided_at=now,
        filed_at=now - timedelta(hours=1),
        updated_at=now,
    )
    for index, document in enumerate(docs, start=1):
        ShipmentVersion.objects.create(
            shipment=shipment,
            number=index,
            content=document,
            content_hash=hashlib.sha256(repr(document).encode()).hexdigest(),
            estimated_arrival=arrival,
            filed_at=now - timedelta(hours=2) + timedelta(minutes=index),
        )
    return shipment
