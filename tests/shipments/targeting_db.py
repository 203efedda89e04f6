"""Database helpers for the targeting tests: filing through the API, known shippers, rules."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from shipments.models import Shipment
from shipments.targeting.snapshot import forget_snapshot
from shippers.models import Application, Certificate
from tests.shipments.factories import filer_client, party, shipment_payload
from tests.shippers.factories import complete_application, owner_with_organisation

URL = "/api/v1/shipments/batches/"
OFAC = Path(__file__).resolve().parent.parent / "screening" / "fixtures" / "ofac"


def file(client: Any, *payloads: dict[str, Any], capture: Any) -> list[dict[str, Any]]:
    """File a batch and run what it queued on commit (the screening task, eagerly)."""
    forget_snapshot()
    with capture(execute=True):
        response = client.post(URL, {"shipments": list(payloads)}, format="json")
    assert response.status_code == 200, response.content
    return list(response.json()["results"])


def shipment_of(result: dict[str, Any]) -> Shipment:
    return Shipment.objects.get(pk=result["id"])


def known_shipper_client(tier: int = 2, status: str = Application.Status.APPROVED) -> Any:
    """An API client of an organisation with a known-shipper certificate of ``tier``."""
    owner, organisation = owner_with_organisation(legal_name=f"Known Shipper Tier {tier} Ltd")
    application = complete_application(owner, organisation)
    Application.objects.filter(pk=application.pk).update(status=status)
    today = timezone.localdate()
    Certificate.objects.create(
        application=application,
        organisation=organisation,
        number=f"US-KS-{organisation.pk:06d}",
        tier=tier,
        valid_from=today - datetime.timedelta(days=10),
        valid_to=today + datetime.timedelta(days=355),
    )
    from rest_framework.test import APIClient

    from tests.apikeys.factories import api_key_for

    _key, plain = api_key_for(organisation)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {plain}")
    return client


def payload(reference: str, **overrides: Any) -> dict[str, Any]:
    return shipment_payload(reference, **overrides)


__all__ = ["OFAC", "file", "filer_client", "known_shipper_client", "party", "payload"]


def ensure_starting_rules() -> None:
    """The data migration's rules, back if a transactional test flushed the tables."""
    from shipments.targeting.catalogue import load_rule_file
    from shipments.targeting.models import TargetingRule
    from shipments.targeting.services import rule_create

    existing = set(TargetingRule.objects.values_list("code", flat=True))
    for row in load_rule_file():
        if row["code"] not in existing:
            fields = {key: value for key, value in row.items() if key != "code"}
            rule_create(actor=None, code=row["code"], **fields)
    forget_snapshot()
