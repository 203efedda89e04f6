"""POST /api/v1/verify/bulk/: many certificates or identifiers, answered in input order."""

from __future__ import annotations

import pytest

from apikeys.models import OrganisationAPIKey
from shippers.models import Application
from tests.partners.factories import known_shipper, partner, partner_client

pytestmark = pytest.mark.django_db
URL = "/api/v1/verify/bulk/"


def test_entries_are_answered_in_order_with_what_matched(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = partner_client(partner())
    valid_org, valid = known_shipper(
        legal_name="Maple Crate Exporters Inc.", country="CA", identifiers={"ca_bn": "123456782"}
    )
    _, suspended = known_shipper(
        legal_name="Rheinland Logistik GmbH",
        country="DE",
        status=Application.Status.SUSPENDED,
        identifiers={"eori": "DE123456789012345"},
        tier=2,
    )
    _, revoked = known_shipper(legal_name="Gone Ltd", status=Application.Status.REVOKED)
    entries = [
        " de 1234 5678 9012 345 ",  # the EORI, typed loosely
        valid.number.lower(),
        "KS-US-7Q4M-2KXD-A",  # a wrong check character
        "not a number",
        revoked.number,
        "12345678-2",  # a BN written with a hyphen (normalised as the portal does)
        "KS-US-7Q4M-2KXD-R",  # well formed, never issued
        "",
    ]
    with django_assert_max_num_queries(8):  # key, partner, then four for the batch
        response = client.post(URL, {"entries": entries}, format="json")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [row["input"] for row in results] == entries
    assert [row["status"] for row in results] == [
        "suspended",
        "valid",
        "unknown",
        "unknown",
        "revoked",
        "valid",
        "unknown",
        "unknown",
    ]
    assert results[0]["matched"] == {"type": "eori", "value": "DE123456789012345"}
    assert (results[0]["certificate_number"], results[0]["tier"]) == (suspended.number, 2)
    assert (results[0]["legal_name"], results[0]["country"]) == ("Rheinland Logistik GmbH", "DE")
    assert results[1]["matched"] == {"type": "certificate_number", "value": valid.number}
    assert results[1]["valid_to"] == valid.valid_to.isoformat()
    assert results[2]["error"]["code"] == "malformed"
    assert "typing mistake" in results[2]["error"]["message"]
    assert "EORI" in results[3]["error"]["message"]
    assert results[5]["matched"] == {"type": "ca_bn", "value": "123456782"}
    assert results[5]["legal_name"] == valid_org.legal_name
    assert results[6]["error"] is None
    assert results[6]["matched"] is None
    assert results[7]["error"]["message"] == "The entry is empty."


def test_a_thousand_entries_take_a_bounded_number_of_queries(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = partner_client(partner())
    certificates = [known_shipper(legal_name=f"Shipper {n} Ltd")[1] for n in range(3)]
    entries = [certificates[n % 3].number if n % 2 else f"KS-US-{n:06d}" for n in range(1000)]
    with django_assert_max_num_queries(8):
        response = client.post(URL, {"entries": entries}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1000
    assert sum(row["status"] == "valid" for row in body["results"]) == 500


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"entries": ["KS-US-000001"] * 1001}, "entries"),
        ({"entries": "KS-US-000001"}, "entries"),
        ({"entries": [1, 2]}, "entries"),
        ({"entries": [{"number": "x"}]}, "entries"),
        ({"entries": []}, "entries"),
        ({}, "entries"),
        (["KS-US-000001"], "entries"),
    ],
)
def test_a_bad_body_is_a_clear_400_in_the_api_shape(body: object, field: str) -> None:
    response = partner_client(partner()).post(URL, body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (400, "invalid")
    assert field in error["fields"]


def test_the_recognitions_are_part_of_the_answer() -> None:
    from tests.partners.test_lists import eu_aeo, import_fixture

    client = partner_client(partner())
    _, certificate = known_shipper(
        legal_name="Rheinland Logistik GmbH",
        country="DE",
        identifiers={"eori": "DE123456789012345"},
    )
    import_fixture(eu_aeo(), "eu_aeo_2026-11.csv")
    response = client.post(URL, {"entries": [certificate.number]}, format="json")
    assert response.json()["results"][0]["recognitions"] == [
        {
            "program": "eu-aeo",
            "program_name": "EU Authorised Economic Operator",
            "authorisation_type": "AEOF",
            "issuing_country": "DE",
            "identifier": "DE123456789012345",
        }
    ]


def test_a_key_without_the_bulk_scope_is_refused() -> None:
    client = partner_client(partner(), "verify", "notifications")
    response = client.post(URL, {"entries": ["KS-US-000001"]}, format="json")
    assert response.status_code == 403
    assert "verify:bulk" in response.json()["error"]["message"]


def test_a_shippers_key_with_the_scope_is_refused_and_no_key_is_401() -> None:
    from rest_framework.test import APIClient

    from tests.apikeys.factories import api_key_for

    organisation, _ = known_shipper()
    _key, plain = api_key_for(organisation, "verify:bulk")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {plain}")
    assert client.post(URL, {"entries": ["x"]}, format="json").status_code == 403
    assert APIClient().post(URL, {"entries": ["x"]}, format="json").status_code == 401


def test_a_revoked_or_expired_partner_key_is_refused() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from apikeys.services import api_key_revoke

    the_partner = partner()
    client = partner_client(the_partner)
    api_key = OrganisationAPIKey.objects.get(organisation=the_partner.organisation)
    assert client.post(URL, {"entries": ["x"]}, format="json").status_code == 200
    OrganisationAPIKey.objects.filter(pk=api_key.pk).update(
        expiry_date=timezone.now() - timedelta(minutes=1)
    )
    assert client.post(URL, {"entries": ["x"]}, format="json").status_code == 401
    OrganisationAPIKey.objects.filter(pk=api_key.pk).update(expiry_date=None)
    api_key_revoke(api_key=api_key)
    assert client.post(URL, {"entries": ["x"]}, format="json").status_code == 401
