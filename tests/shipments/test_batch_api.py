from __future__ import annotations

import pytest

from shipments.models import Shipment, ShipmentVersion
from tests.shipments.factories import filer_client, shipment_payload

URL = "/api/v1/shipments/batches/"
pytestmark = pytest.mark.django_db


def test_a_batch_is_accepted_in_input_order_with_ids_and_risk() -> None:
    client, api_key = filer_client()
    response = client.post(
        URL, {"shipments": [shipment_payload("A-1"), shipment_payload("A-2")]}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["accepted"] == 2 and body["rejected"] == 0
    assert [r["reference"] for r in body["results"]] == ["A-1", "A-2"]
    assert [r["status"] for r in body["results"]] == ["accepted", "accepted"]
    assert body["results"][0]["risk"]["level"] == "pending"
    shipment = Shipment.objects.get(pk=body["results"][0]["id"])
    assert shipment.organisation_id == api_key.organisation_id
    assert shipment.total_value == 19
    assert ShipmentVersion.objects.filter(shipment_id=shipment.pk).count() == 1
