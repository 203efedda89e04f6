"""The shipments demo data: filed through the batch path, decided, some held and examined,
an API key printed once; a second run adds nothing."""

from __future__ import annotations

import pytest

from apikeys.models import OrganisationAPIKey
from shipments import demo
from shipments.models import Shipment
from shipments.models.examination import ExaminationFinding
from tests.accounts.factories import UserFactory
from tests.shippers.factories import owner_with_organisation

pytestmark = pytest.mark.django_db


def test_seed_shipments_demo_is_idempotent(monkeypatch, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_SHIPMENTS = 400
    monkeypatch.setattr(demo, "BATCH_SIZE", 200)
    owner_with_organisation(legal_name=demo.DEMO_SHIPPER)
    UserFactory(email=demo.DEMO_OFFICER, roles=["officer"])
    lines = demo.seed_shipments_demo()
    assert any("(shown once): " in line for line in lines)
    shipments = Shipment.objects.filter(reference__startswith="DEMO-")
    assert shipments.count() == 400
    assert shipments.exclude(decision="pending").count() == 400
    assert shipments.filter(decision__in=["review", "hold"]).exists()
    assert ExaminationFinding.objects.exists()
    assert ExaminationFinding.objects.with_discrepancy().exists()
    again = demo.seed_shipments_demo()
    assert "demo shipments exist" in again
    assert not any("(shown once): " in line for line in again)
    assert Shipment.objects.count() == 400
    assert OrganisationAPIKey.objects.count() == 1
