"""Filing and the stored shipment give the targeting engine the same parties: one builder
(`party_from_struct`), so a watch-list address or a split-shipment consignee matches at
acceptance exactly as at the final decision and in back-tests."""

from __future__ import annotations

import msgspec
from django.utils import timezone

from shipments import schema
from shipments.facts import FactsBuilder
from shipments.targeting import Standing
from shipments.targeting.facts import party_from_content
from tests.shipments.factories import shipment_payload


def test_filing_parties_equal_the_stored_contents_parties() -> None:
    payload = shipment_payload("FACTS-1")
    payload["consignee"]["address"].pop("postal_code", None)
    payload["consignee"]["address"]["line2"] = "Unit 4"
    struct = msgspec.convert(payload, schema.Shipment, strict=False)
    filing = FactsBuilder(
        organisation_id=1, standing=Standing.NONE, tier=None, never_filed=False
    ).build(struct, shipment_id="1", version=1, estimated_arrival=timezone.now())
    filed = {party.role: party for party in filing.facts.parties}
    for role in ("seller", "shipper", "consignee"):
        assert filed[role] == party_from_content(role, payload[role]), role
    # The street lines only: the city is its own field (the consignee key falls back to it).
    assert filed["consignee"].city == payload["consignee"]["address"]["city"]
    assert payload["consignee"]["address"]["city"] not in " ".join(filed["consignee"].address_lines)
