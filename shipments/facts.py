"""What targeting reads about a shipment, and what it answers.

`ShipmentFacts` (read-only by convention: not frozen, which costs time at this volume) is
built once per accepted or amended shipment from its validated content
(`facts_from_content`) and handed to `shipments.targeting.evaluate_batch(facts_list)`,
which returns one `RiskAssessment`-like answer per fact, in order. The same builder turns
a stored version back into facts (back-tests, re-scoring after a list update), so the
rules see the same thing either way.

A reason is a dict: {"code": "...", "message": "... (for officers)", ...} and, when the
filer may see it, "filer_message": "..." (the only part shown outside customs; rules
themselves are never shown to filers).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from screening.engine.normalize import fold_name


@dataclass(slots=True)
class PartyFacts:
    role: str  # seller, shipper, consignee, manufacturer
    name: str
    country: str
    address_fields: dict[str, str]  # line1, line2?, city, region?, postal_code?, country
    identifier_scheme: str = ""
    identifier_value: str = ""

    @property
    def address(self) -> str:
        """One line: line1, line2, city, region, postal code."""
        return _one_line(self.address_fields)

    @property
    def postal_code(self) -> str:
        return self.address_fields.get("postal_code", "")


@dataclass(slots=True)
class ItemFacts:
    description: str
    hs_code: str
    quantity: int
    unit_value: Decimal
    origin_country: str
    listing_url: str = ""
    manufacturer: PartyFacts | None = None

    @property
    def value(self) -> Decimal:
        return self.unit_value * self.quantity


@dataclass(slots=True)
class ShipmentFacts:
    shipment_id: str
    organisation_id: int
    reference: str
    version: int
    mode: str
    carrier: str
    port_of_arrival: str
    estimated_arrival: datetime
    currency: str
    total_value: Decimal
    gross_weight_kg: Decimal
    packages: int
    seller: PartyFacts
    shipper: PartyFacts
    consignee: PartyFacts
    items: tuple[ItemFacts, ...]
    consignee_key: str
    house_bill: str = ""
    master_bill: str = ""
    tracking_number: str = ""
    marketplace_name: str = ""
    marketplace_url: str = ""

    @property
    def origin_countries(self) -> tuple[str, ...]:
        return tuple(sorted({item.origin_country for item in self.items}))

    @property
    def hs_codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(item.hs_code for item in self.items))

    @property
    def parties(self) -> tuple[PartyFacts, ...]:
        """Seller, shipper, consignee and each distinct manufacturer."""
        manufacturers = {
            (item.manufacturer.name, item.manufacturer.country): item.manufacturer
            for item in self.items
            if item.manufacturer is not None
        }
        return (self.seller, self.shipper, self.consignee, *manufacturers.values())

    @property
    def value_per_kg(self) -> Decimal:
        return self.total_value / self.gross_weight_kg if self.gross_weight_kg else Decimal(0)


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    level: str = "pending"  # low, medium, high, pending
    decision: str = "pending"  # release, review, hold, pending
    score: float = 0.0
    reasons: list[dict[str, Any]] = field(default_factory=list)


def _one_line(address: dict[str, Any]) -> str:
    parts = (
        address.get("line1", ""),
        address.get("line2", ""),
        address.get("city", ""),
        address.get("region", ""),
        address.get("postal_code", ""),
    )
    return ", ".join(part for part in parts if part)


def party_facts(role: str, party: dict[str, Any]) -> PartyFacts:
    address = party["address"]
    identifier = party.get("identifier") or {}
    return PartyFacts(
        role=role,
        name=party["name"],
        country=address["country"],
        address_fields=address,
        identifier_scheme=identifier.get("scheme", ""),
        identifier_value=identifier.get("value", ""),
    )


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _fold(text: str) -> str:
    """The screening engine's transliterating fold (`fold_name`), with a short cut for plain
    ASCII (most addresses)."""
    if text.isascii():
        return _NON_ALNUM.sub(" ", text.lower()).strip()
    return fold_name(text)


def consignee_key(party: dict[str, Any]) -> str:
    """Same consignee, however typed: folded name, first address line, postal code and
    country, hashed (32 hex characters)."""
    address = party["address"]
    text = "|".join(
        (
            _fold(party["name"]),
            _fold(address.get("line1", "")),
            _fold(address.get("postal_code", "")),
            address["country"],
        )
    )
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _decimal(value: int | float | str) -> Decimal:
    return Decimal(value) if isinstance(value, int) else Decimal(str(value))


def facts_from_content(
    *,
    shipment_id: str,
    organisation_id: int,
    version: int,
    content: dict[str, Any],
    estimated_arrival: datetime | None = None,
) -> ShipmentFacts:
    """Facts of one validated (or stored) content; `estimated_arrival` saves re-parsing."""
    items = tuple(
        ItemFacts(
            description=item["description"],
            hs_code=item["hs_code"],
            quantity=item["quantity"],
            unit_value=_decimal(item["unit_value"]),
            origin_country=item["origin_country"],
            listing_url=item.get("listing_url", ""),
            manufacturer=(
                party_facts("manufacturer", item["manufacturer"])
                if item.get("manufacturer")
                else None
            ),
        )
        for item in content["items"]
    )
    marketplace = content.get("marketplace") or {}
    return ShipmentFacts(
        shipment_id=shipment_id,
        organisation_id=organisation_id,
        reference=content["reference"],
        version=version,
        mode=content["mode"],
        carrier=content.get("carrier", ""),
        port_of_arrival=content["port_of_arrival"],
        estimated_arrival=estimated_arrival or datetime.fromisoformat(content["estimated_arrival"]),
        currency=content["currency"],
        total_value=sum((item.value for item in items), Decimal(0)).quantize(Decimal("0.01")),
        gross_weight_kg=_decimal(content["gross_weight_kg"]),
        packages=content["packages"],
        seller=party_facts("seller", content["seller"]),
        shipper=party_facts("shipper", content["shipper"]),
        consignee=party_facts("consignee", content["consignee"]),
        items=items,
        consignee_key=consignee_key(content["consignee"]),
        house_bill=content.get("house_bill", ""),
        master_bill=content.get("master_bill", ""),
        tracking_number=content.get("tracking_number", ""),
        marketplace_name=marketplace.get("name", ""),
        marketplace_url=marketplace.get("url", ""),
    )


def filer_reasons(reasons: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The part of the reasons a filer may read."""
    return [
        {"code": str(reason.get("code", "")), "message": str(reason["filer_message"])}
        for reason in reasons or []
        if isinstance(reason, dict) and reason.get("filer_message")
    ]
