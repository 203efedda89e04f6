"""``field__any``: one array parameter, the same rows as ``__in``."""

from __future__ import annotations

import pytest

from shipments.models import Shipment
from tests.shipments.factories import filer_client, shipment_payload

pytestmark = pytest.mark.django_db


def test_any_selects_the_same_rows_as_in_with_ids_and_with_other_text() -> None:
    client, _ = filer_client()
    body = {"shipments": [shipment_payload("ANY-1"), shipment_payload("ANY-2")]}
    assert client.post("/api/v1/shipments/batches/", body, format="json").status_code == 200
    first, second = Shipment.objects.order_by("reference")
    assert list(
        Shipment.objects.filter(id__any=[first.pk]).values_list("reference", flat=True)
    ) == ["ANY-1"]
    assert Shipment.objects.filter(id__any=[str(first.pk), second.pk]).count() == 2
    assert not Shipment.objects.filter(id__any=[]).exists()
    # A value that is not a plain id goes as a list parameter, quoted by the driver.
    keys = [first.consignee_key, "it's {not}, a key"]
    assert Shipment.objects.filter(consignee_key__any=keys).count() == 2  # same consignee
