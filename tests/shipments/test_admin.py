"""The admin reads single shipments (and their versions) on the partitioned tables."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from shipments.models import Shipment
from tests.accounts.factories import UserFactory
from tests.shipments.factories import filer_client, shipment_payload

pytestmark = pytest.mark.django_db


def test_the_admin_lists_and_shows_a_shipment_with_its_versions() -> None:
    client, _ = filer_client()
    payload = shipment_payload("ADM-1")
    client.post("/api/v1/shipments/batches/", {"shipments": [payload]}, format="json")
    client.post(
        "/api/v1/shipments/batches/",
        {"shipments": [{**payload, "packages": 2}]},
        format="json",
    )
    shipment = Shipment.objects.get()
    admin = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(admin, generate_totp_secret())
    browser = Client()
    browser.force_login(admin)
    listing = browser.get("/admin/shipments/shipment/")
    assert listing.status_code == 200
    assert b"ADM-1" in listing.content
    page = browser.get(f"/admin/shipments/shipment/{shipment.pk}/change/")
    assert page.status_code == 200
    assert page.content.count(shipment.content_hash.encode()) >= 1
    assert browser.get("/admin/shipments/batch/").status_code == 200
    assert browser.get("/admin/apikeys/organisationapikey/").status_code == 200


def test_an_officer_creates_a_key_in_the_admin_and_sees_it_once() -> None:
    from apikeys.models import OrganisationAPIKey
    from tests.shippers.factories import OrganisationFactory

    organisation = OrganisationFactory()
    admin = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(admin, generate_totp_secret())
    browser = Client()
    browser.force_login(admin)
    response = browser.post(
        "/admin/apikeys/organisationapikey/add/",
        {
            "organisation": organisation.pk,
            "name": "Warehouse",
            "scopes": '["shipments:write"]',
            "expiry_date_0": "",
            "expiry_date_1": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    api_key = OrganisationAPIKey.objects.get()
    assert api_key.created_by == admin
    shown = [str(m) for m in response.context["messages"]]
    plain = next(m for m in shown if "cannot be shown again" in m).split(" is: ")[1].split(" ")[0]
    assert OrganisationAPIKey.objects.get_from_key(plain) == api_key
