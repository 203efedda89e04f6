"""What filing hands to targeting and stores beside it, built once per accepted or amended
shipment straight from its decoded structs (``schema.Shipment``).

``FactsBuilder(...).build(shipment, ...)`` answers a ``Filing``: the targeting engine's
``ShipmentFacts`` (``shipments.targeting``) and the few row values the engine does not
read (the exact total and weight as decimals, the consignee key, the origin and HS code
columns). Parties repeat (the same sellers and shippers over and over), so the engine's
party objects are remembered per process (they depend on the content and the static place
names only). The stored shipments are turned back into facts by
``shipments.targeting.facts`` (back-tests, the decision worker).

A reason is a dict: {"code": "...", "message": "... (for officers)", ...} and, when the
filer may see it, "filer_message": "..." (the only part shown outside customs; rules
themselves are never shown to filers).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from screening.engine.normalize import fold_name
from shipments import schema
from shipments.targeting import Item, ShipmentFacts, Standing
from shipments.targeting.facts import party_from_struct

CENT = Decimal("0.01")


@dataclass(slots=True)
class Filing:
    """One shipment about to be stored: the engine's facts and what its row adds."""

    facts: ShipmentFacts
    total_value: Decimal
    gross_weight_kg: Decimal
    consignee_key: str
    origin_countries: str  # JSON text: the items' origins, sorted, once each
    hs_codes: str  # JSON text: the items' HS codes in order, once each


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _fold(text: str) -> str:
    """The screening engine's transliterating fold (`fold_name`), with a short cut for plain
    ASCII (most addresses)."""
    if text.isascii():
        return _NON_ALNUM.sub(" ", text.lower()).strip()
    return fold_name(text)


# Validated text holds no NUL: it separates the parts folded in one pass.
_NON_ALNUM_PARTS = re.compile(r"[^a-z0-9\x00]+")


def consignee_key(party: schema.Party) -> str:
    """Same consignee, however typed: folded name, first address line, postal code and
    country, hashed (32 hex characters)."""
    address = party.address
    joined = f"{party.name}\x00{address.line1}\x00{address.postal_code or ''}"
    if joined.isascii():  # most: the three parts folded by one substitution
        name, line1, postal_code = _NON_ALNUM_PARTS.sub(" ", joined.lower()).split("\x00")
        folded = f"{name.strip()}|{line1.strip()}|{postal_code.strip()}"
    else:
        folded = "|".join(
            (_fold(party.name), _fold(address.line1), _fold(address.postal_code or ""))
        )
    return hashlib.blake2b(f"{folded}|{address.country}".encode(), digest_size=16).hexdigest()


class FactsBuilder:
    """Builds the filings of one batch from one filer: only the first new shipment of a
    filer that never filed counts as its first shipment."""

    __slots__ = ("first_pending", "organisation_id", "standing", "tier")

    def __init__(
        self, *, organisation_id: int, standing: Standing, tier: int | None, never_filed: bool
    ) -> None:
        self.organisation_id = organisation_id
        self.standing = standing
        self.tier = tier
        self.first_pending = never_filed

    def build(
        self,
        shipment: schema.Shipment,
        *,
        shipment_id: str,
        version: int,
        estimated_arrival: datetime.datetime,
    ) -> Filing:
        first = self.first_pending and version == 1
        if first:
            self.first_pending = False
        items: list[Item] = []
        total = Decimal(0)
        makers: dict[tuple[str, str], schema.Party] = {}
        origins: set[str] = set()
        hs_codes: dict[str, None] = {}
        for item in shipment.items:
            unit_value = item.unit_value
            origins.add(item.origin_country)
            hs_codes[item.hs_code] = None
            total += Decimal(str(unit_value)) * item.quantity
            items.append(
                Item(
                    description=item.description,
                    hs_code=item.hs_code,
                    quantity=float(item.quantity),
                    unit_value=unit_value,
                    origin_country=item.origin_country.upper(),
                )
            )
            maker = item.manufacturer
            if maker is not None:
                makers[(maker.name, maker.address.country)] = maker
        total = total.quantize(CENT)
        weight = Decimal(str(shipment.gross_weight_kg))
        parties = [
            party_from_struct("seller", shipment.seller),
            party_from_struct("shipper", shipment.shipper),
            party_from_struct("consignee", shipment.consignee),
        ]
        parties += [party_from_struct("manufacturer", maker) for maker in makers.values()]
        facts = ShipmentFacts(
            organisation_id=self.organisation_id,
            standing=self.standing,
            tier=self.tier,
            first_shipment=first,
            mode=shipment.mode,
            port=shipment.port_of_arrival,
            estimated_arrival=estimated_arrival,
            currency=shipment.currency.upper(),
            total_value=float(total),
            gross_weight_kg=float(weight),
            packages=int(shipment.packages),
            parties=tuple(parties),
            items=tuple(items),
            key=shipment_id,
        )
        return Filing(
            facts=facts,
            total_value=total,
            gross_weight_kg=weight,
            consignee_key=consignee_key(shipment.consignee),
            # Country codes and HS codes are letters and digits: JSON without escapes.
            origin_countries='["' + '","'.join(sorted(origins)) + '"]',
            hs_codes='["' + '","'.join(hs_codes) + '"]',
        )


def filer_reasons(reasons: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The part of the reasons a filer may read."""
    return [
        {"code": str(reason.get("code", "")), "message": str(reason["filer_message"])}
        for reason in reasons or []
        if isinstance(reason, dict) and reason.get("filer_message")
    ]
