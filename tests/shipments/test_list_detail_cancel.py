"""GET /api/v1/shipments/ (filters, cursor pages with a count), GET one, POST cancel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEvent
from shipments.models import Shipment
from tests.shipments.factories import filer_client, shipment_payload

BATCH = "/api/v1/shipments/batches/"
LIST = "/api/v1/shipments/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def filed():  # type: ignore[no-untyped-def]
    client, api_key = filer_client()
    soon = timezone.now() + timedelta(days=1)
    later = timezone.now() + timedelta(days=20)
    payloads = [
        shipment_payload(f"L-{n}", estimated_arrival=(soon if n < 3 else later).isoformat())
        for n in range(5)
    ]
    results = client.post(BATCH, {"shipments": payloads}, format="json").json()["results"]
    return client, api_key, [r["id"] for r in results], soon, later


def test_the_list_pages_by_cursor_with_a_count(filed, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    client, _, ids, _, _ = filed
    with django_assert_num_queries(3):  # the key (last used is fresh), the count, the page
        first = client.get(LIST, {"page_size": 2})
    body = first.json()
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["next"]
    seen = [row["id"] for row in body["results"]]
    while body["next"]:
        body = client.get(body["next"]).json()
        seen += [row["id"] for row in body["results"]]
    assert sorted(seen) == sorted(ids)
    row = first.json()["results"][0]
    assert set(row) >= {"id", "reference", "status", "risk", "estimated_arrival", "filed_at"}


def test_the_list_filters(filed) -> None:  # type: ignore[no-untyped-def]
    client, _, ids, soon, later = filed
    assert client.get(LIST, {"reference": "L-2"}).json()["results"][0]["id"] == ids[2]
    assert client.get(LIST, {"status": "accepted"}).json()["count"] == 5
    assert client.get(LIST, {"status": "cancelled"}).json()["count"] == 0
    assert client.get(LIST, {"decision": "pending"}).json()["count"] == 5
    window = {
        "arrival_from": (soon - timedelta(hours=1)).isoformat(),
        "arrival_to": (soon + timedelta(hours=1)).isoformat(),
    }
    assert client.get(LIST, window).json()["count"] == 3
    assert client.get(LIST, {"arrival_from": later.isoformat()}).json()["count"] == 2


@pytest.mark.parametrize(
    "params", [{"status": "lost"}, {"decision": "maybe"}, {"arrival_from": "yesterday"}]
)
def test_bad_filters_are_400(filed, params) -> None:  # type: ignore[no-untyped-def]
    client = filed[0]
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]


def test_one_shipment_with_its_content_and_versions(filed) -> None:  # type: ignore[no-untyped-def]
    client, _, ids, _, _ = filed
    body = client.get(f"{LIST}{ids[0]}/").json()
    assert body["reference"] == "L-0"
    assert body["content"]["items"][0]["hs_code"] == "610910"
    assert [v["number"] for v in body["versions"]] == [1]
    assert body["risk"]["decision"] == "pending"


def test_cancel_before_arrival_and_again(filed) -> None:  # type: ignore[no-untyped-def]
    client, api_key, ids, _, _ = filed
    response = client.post(f"{LIST}{ids[0]}/cancel/", {"reason": "Order refunded"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancelled_at"]
    event = AuditEvent.objects.get(action="shipment.cancel")
    assert event.reason == "Order refunded"
    assert event.organisation_id == api_key.organisation_id
    assert event.changes == {"status": {"before": "accepted", "after": "cancelled"}}
    again = client.post(f"{LIST}{ids[0]}/cancel/")
    assert again.status_code == 200
    assert AuditEvent.objects.filter(action="shipment.cancel").count() == 1
    # A cancelled shipment is not amended by a later filing.
    answer = client.post(
        BATCH, {"shipments": [shipment_payload("L-0", packages=4)]}, format="json"
    ).json()["results"][0]
    assert answer["errors"][0]["code"] == "not_amendable"


def test_cancel_refused_when_held_or_arrived(filed) -> None:  # type: ignore[no-untyped-def]
    client, _, ids, _, _ = filed
    Shipment.objects.filter(pk=ids[1]).update(decision="hold")
    held = client.post(f"{LIST}{ids[1]}/cancel/")
    assert held.status_code == 409
    assert held.json()["error"]["code"] == "not_cancellable"
    assert "hold" in held.json()["error"]["message"]
    Shipment.objects.filter(pk=ids[2]).update(estimated_arrival=timezone.now() - timedelta(hours=2))
    arrived = client.post(f"{LIST}{ids[2]}/cancel/")
    assert arrived.status_code == 409
    assert Shipment.objects.filter(status="cancelled").count() == 0


def test_cancel_needs_the_write_scope(filed) -> None:  # type: ignore[no-untyped-def]
    _, api_key, ids, _, _ = filed
    from tests.apikeys.factories import api_key_for
    from tests.shipments.test_access import client_with

    _, plain = api_key_for(api_key.organisation, "shipments:read")
    assert client_with(plain).post(f"{LIST}{ids[0]}/cancel/").status_code == 403
