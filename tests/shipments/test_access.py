"""Who may call the shipments API: key authentication, scopes, filing eligibility, and
one organisation never reading or changing another's shipments (per endpoint)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apikeys.services import api_key_revoke
from shipments.models import FilerRegistration, Shipment
from shippers import services as shipper_services
from tests.apikeys.factories import api_key_for
from tests.enforcement.factories import approved_respondent, officer
from tests.shipments.factories import filer_client, shipment_payload
from tests.shippers.factories import OrganisationFactory

BATCH = "/api/v1/shipments/batches/"
LIST = "/api/v1/shipments/"
pytestmark = pytest.mark.django_db


def client_with(plain: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {plain}")
    return client


def file_one(client: APIClient, reference: str = "S-1") -> str:
    response = client.post(BATCH, {"shipments": [shipment_payload(reference)]}, format="json")
    assert response.status_code == 200, response.content
    return str(response.json()["results"][0]["id"])


@pytest.mark.parametrize("header", [None, "Api-Key nodot", "Api-Key abc.def", "Token abc"])
def test_without_a_valid_key_the_api_answers_401(header: str | None) -> None:
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    for method, url in (("post", BATCH), ("get", LIST)):
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Api-Key"


def test_a_revoked_key_is_refused() -> None:
    registration = FilerRegistration.objects.create(
        organisation=OrganisationFactory(), kind="carrier"
    )
    api_key, plain = api_key_for(registration.organisation)
    api_key_revoke(api_key=api_key)
    response = client_with(plain).get(LIST)
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "The API key has been revoked."


def test_an_expired_key_is_refused() -> None:
    registration = FilerRegistration.objects.create(
        organisation=OrganisationFactory(), kind="carrier"
    )
    api_key, plain = api_key_for(
        registration.organisation, expires_at=timezone.now() + timedelta(days=1)
    )
    type(api_key).objects.filter(pk=api_key.pk).update(
        expiry_date=timezone.now() - timedelta(minutes=1)
    )
    response = client_with(plain).get(LIST)
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "The API key has expired."


def test_a_tampered_secret_is_refused() -> None:
    _, api_key = filer_client()
    response = client_with(f"{api_key.prefix}.not-the-secret").get(LIST)
    assert response.status_code == 401


def test_the_wrong_scope_is_refused_with_the_scope_named() -> None:
    read_only, _ = filer_client("shipments:read")
    response = read_only.post(BATCH, {"shipments": [shipment_payload()]}, format="json")
    assert response.status_code == 403
    assert "shipments:write" in response.json()["error"]["message"]
    assert read_only.get(LIST).status_code == 200
    verify_only, _ = filer_client("verify")
    assert verify_only.get(LIST).status_code == 403
    assert not Shipment.objects.exists()


def test_last_used_is_recorded() -> None:
    client, api_key = filer_client()
    client.get(LIST)
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


def test_an_organisation_neither_known_shipper_nor_filer_may_not_file() -> None:
    _, plain = api_key_for(OrganisationFactory(legal_name="Nobody Ltd"))
    response = client_with(plain).post(BATCH, {"shipments": [shipment_payload()]}, format="json")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "not_eligible"
    assert "Nobody Ltd may not file" in error["message"]


def test_a_suspended_filer_registration_is_refused() -> None:
    client, api_key = filer_client()
    FilerRegistration.objects.filter(organisation_id=api_key.organisation_id).update(
        status="suspended"
    )
    response = client.post(BATCH, {"shipments": [shipment_payload()]}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "suspended"


def test_a_known_shipper_with_a_current_certificate_files_until_suspended() -> None:
    officer_user = officer()
    _, organisation, application = approved_respondent(officer_user)
    _, plain = api_key_for(organisation)
    client = client_with(plain)
    assert file_one(client, "KS-1")
    shipper_services.application_suspend(
        actor=officer_user, application=application, reason="Unpaid penalty"
    )
    response = client.post(BATCH, {"shipments": [shipment_payload("KS-2")]}, format="json")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "suspended"
    assert "suspended" in error["message"]
    assert client.get(LIST).json()["count"] == 1  # it still reads its own shipments


def test_another_organisation_never_reads_or_changes_a_shipment() -> None:
    owner, _ = filer_client()
    other, _ = filer_client()
    shipment_id = file_one(owner, "MINE-1")
    assert other.get(LIST).json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert other.get(LIST, {"reference": "MINE-1"}).json()["count"] == 0
    assert other.get(f"{LIST}{shipment_id}/").status_code == 404
    assert other.post(f"{LIST}{shipment_id}/cancel/").status_code == 404
    # The same reference is the other organisation's own, separate shipment.
    answer = other.post(
        BATCH, {"shipments": [shipment_payload("MINE-1", packages=3)]}, format="json"
    )
    result = answer.json()["results"][0]
    assert result["status"] == "accepted"
    assert result["id"] != shipment_id
    mine = Shipment.objects.get(pk=shipment_id)
    assert (mine.status, mine.packages, mine.version) == ("accepted", 1, 1)
    assert owner.get(f"{LIST}{shipment_id}/").status_code == 200
