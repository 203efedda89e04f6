"""The deliveries API pages with a cursor, newest first, and says so in the schema."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from partners.models import WebhookDelivery
from partners.services.endpoints import endpoint_register
from tests.partners.factories import partner, partner_client

pytestmark = pytest.mark.django_db
URL = "/api/v1/partners/deliveries/"


def deliveries(the_partner, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    """`count` deliveries, a minute apart; their message ids newest first."""
    endpoint, _secret = endpoint_register(
        partner=the_partner, url="https://partner.example/hooks", events=["certificate.revoked"]
    )
    now = timezone.now()
    for minute in range(count):
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            message_id=f"msg_{minute:03d}",
            event_type="certificate.revoked",
            payload={"type": "certificate.revoked"},
            give_up_at=now + timedelta(days=3),
            created_at=now - timedelta(minutes=count - minute),
        )
    return [f"msg_{minute:03d}" for minute in reversed(range(count))]


def test_deliveries_come_a_page_at_a_time_newest_first_and_all_of_them() -> None:
    the_partner = partner()
    expected = deliveries(the_partner, 7)
    client = partner_client(the_partner, "notifications")
    first = client.get(URL, {"page_size": 3}).json()
    assert [row["message_id"] for row in first["results"]] == expected[:3]
    assert first["previous"] is None
    seen = [row["message_id"] for row in first["results"]]
    # a delivery written meanwhile does not shift the pages still to come
    newest = WebhookDelivery.objects.get(message_id=expected[0])
    newest.pk, newest.message_id, newest.created_at = None, "msg_new", timezone.now()
    newest.save()
    following = first["next"]
    while following:
        page = client.get(following).json()
        seen += [row["message_id"] for row in page["results"]]
        following = page["next"]
    assert seen == expected
    assert client.get(URL).json()["results"][0]["message_id"] == "msg_new"


def test_the_default_page_is_the_apis_page_size(settings) -> None:  # type: ignore[no-untyped-def]
    the_partner = partner()
    expected = deliveries(the_partner, 52)
    body = partner_client(the_partner, "notifications").get(URL).json()
    assert len(body["results"]) == settings.REST_FRAMEWORK["PAGE_SIZE"] == 50
    assert [row["message_id"] for row in body["results"]] == expected[:50]
    assert body["next"]


def test_a_bad_cursor_is_refused_in_the_apis_error_shape() -> None:
    the_partner = partner()
    deliveries(the_partner, 1)
    response = partner_client(the_partner, "notifications").get(URL, {"cursor": "nonsense"})
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_the_schema_documents_the_paging(client: Client) -> None:
    document = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = document["paths"][URL]["get"]
    assert {"cursor", "page_size"} <= {p["name"] for p in operation["parameters"]}
    schema_ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    paginated = document["components"]["schemas"][schema_ref.rsplit("/", 1)[-1]]
    assert {"next", "previous", "results"} <= set(paginated["properties"])
