"""The shippers' portal: shipments with the reasons that concern them, CSV upload (all or
nothing, per-row errors), API keys; and that nobody sees another organisation's things."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apikeys.models import OrganisationAPIKey
from core.models import AuditEvent
from shipments import csv_rows
from shipments.models import Batch, Shipment
from tests.accounts.factories import UserFactory
from tests.apikeys.factories import api_key_for
from tests.shipments.factories import FilerRegistrationFactory
from tests.shipments.officer_fixtures import make_shipment
from tests.shippers.factories import owner_with_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipper_a():  # type: ignore[no-untyped-def]
    user, organisation = owner_with_organisation(legal_name="Alpha Parcels Ltd")
    FilerRegistrationFactory(organisation=organisation)
    client = Client()
    client.force_login(user)
    return client, user, organisation


@pytest.fixture
def shipper_b():  # type: ignore[no-untyped-def]
    user, organisation = owner_with_organisation(legal_name="Bravo Goods Co")
    return user, organisation


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=csv_rows.COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _row(reference: str, **changes: str) -> dict[str, str]:
    arrival = (timezone.now() + timedelta(days=2)).replace(microsecond=0).isoformat()
    return {
        **csv_rows.TEMPLATE_EXAMPLE,
        "reference": reference,
        "estimated_arrival": arrival,
        **changes,
    }


def _upload(client: Client, organisation, data: bytes):  # type: ignore[no-untyped-def]
    url = reverse("shipments:upload", args=[organisation.pk])
    return client.post(url, {"file": io.BytesIO(data)}, format="multipart")


def test_list_shows_own_shipments_with_filer_reasons_only(shipper_a, shipper_b) -> None:
    client, _user, organisation = shipper_a
    own = make_shipment(organisation)
    other = make_shipment(shipper_b[1])
    page = client.get(reverse("shipments:list", args=[organisation.pk])).content.decode()
    assert own.reference in page
    assert other.reference not in page
    assert "Selected for examination on arrival." in page
    # The targeting's internals never reach the filer.
    assert "ipr-prone-goods" not in page
    assert "Goods often counterfeited" not in page
    assert "matched keyword" not in page
    detail = client.get(reverse("shipments:detail", args=[organisation.pk, own.pk]))
    assert detail.status_code == 200
    assert "matched keyword" not in detail.content.decode()


def test_shipper_a_never_sees_shipper_b(shipper_a, shipper_b) -> None:
    client, _user, _organisation = shipper_a
    organisation_b = shipper_b[1]
    shipment_b = make_shipment(organisation_b)
    api_key_for(organisation_b)
    for url in (
        reverse("shipments:list", args=[organisation_b.pk]),
        reverse("shipments:detail", args=[organisation_b.pk, shipment_b.pk]),
        reverse("shipments:upload", args=[organisation_b.pk]),
        reverse("shipments:api_keys", args=[organisation_b.pk]),
    ):
        assert client.get(url).status_code == 404, url
    key_b = OrganisationAPIKey.objects.get(organisation=organisation_b)
    revoke = reverse("shipments:api_key_revoke", args=[organisation_b.pk, key_b.pk])
    assert client.post(revoke).status_code == 404
    key_b.refresh_from_db()
    assert key_b.revoked is False
    # Through its own organisation's URL, B's shipment is not found either.
    own = reverse("shipments:detail", args=[shipper_a[2].pk, shipment_b.pk])
    assert client.get(own).status_code == 404


def test_anonymous_is_sent_to_sign_in_and_staff_need_membership(shipper_a) -> None:
    organisation = shipper_a[2]
    url = reverse("shipments:list", args=[organisation.pk])
    response = Client().get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    officer = Client()
    officer.force_login(UserFactory(roles=["officer"]))
    assert officer.get(url).status_code == 404


def test_list_query_count_does_not_grow_with_rows(shipper_a, django_assert_max_num_queries) -> None:
    client, _user, organisation = shipper_a
    for _ in range(20):
        make_shipment(organisation)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("shipments:list", args=[organisation.pk]))
    assert response.status_code == 200


def test_template_downloads_and_a_good_upload_files_everything(shipper_a) -> None:
    client, user, organisation = shipper_a
    template = client.get(reverse("shipments:csv_template"))
    assert template["Content-Disposition"].startswith("attachment")
    assert "item_hs_code" in template.content.decode("utf-8-sig").splitlines()[0]
    data = _csv(
        [
            _row("CSV-1"),
            {
                "reference": "CSV-1",
                "item_description": "Mug",
                "item_hs_code": "691200",
                "item_quantity": "1",
                "item_unit_value": "8",
                "item_origin_country": "PT",
            },
            _row("CSV-2"),
        ]
    )
    response = _upload(client, organisation, data)
    assert response.status_code == 302
    shipments = Shipment.objects.for_organisation(organisation.pk)
    assert sorted(s.reference for s in shipments) == ["CSV-1", "CSV-2"]
    assert shipments.get(reference="CSV-1").item_count == 2
    batch = Batch.objects.get(organisation=organisation)
    assert batch.source == Batch.Source.CSV
    assert batch.submitted_by == user
    # The same file again files nothing new.
    assert _upload(client, organisation, data).status_code == 302
    assert Shipment.objects.for_organisation(organisation.pk).count() == 2


def test_an_upload_with_errors_files_nothing_and_names_rows_and_columns(shipper_a) -> None:
    client, _user, organisation = shipper_a
    data = _csv(
        [
            _row("OK-1"),
            _row("BAD-1", item_hs_code="12", mode="boat"),
            _row("BAD-2", item_quantity="two"),
        ]
    )
    response = _upload(client, organisation, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was filed" in page
    assert "<td>3</td><td>item_hs_code</td>" in page
    assert "<td>3</td><td>mode</td>" in page
    assert "<td>4</td><td>item_quantity</td>" in page
    assert not Shipment.objects.for_organisation(organisation.pk).exists()
    assert not Batch.objects.filter(organisation=organisation).exists()


def test_an_organisation_that_may_not_file_is_told_why(shipper_b) -> None:
    user, organisation = shipper_b
    client = Client()
    client.force_login(user)
    response = _upload(client, organisation, _csv([_row("X-1")]))
    assert response.status_code == 400
    assert "may not file shipment data" in response.content.decode()
    assert not Shipment.objects.exists()


def test_api_keys_created_shown_once_listed_and_revoked(shipper_a) -> None:
    client, user, organisation = shipper_a
    url = reverse("shipments:api_keys", args=[organisation.pk])
    response = client.post(url, {"name": "Warehouse system", "scopes": ["shipments:write"]})
    page = response.content.decode()
    key = OrganisationAPIKey.objects.get(organisation=organisation)
    assert 'id="new-key"' in page
    assert key.prefix in page
    assert key.created_by == user
    listing = client.get(url).content.decode()
    assert key.prefix in listing
    assert 'id="new-key"' not in listing
    assert "shipments:write" in listing
    client.post(reverse("shipments:api_key_revoke", args=[organisation.pk, key.pk]))
    key.refresh_from_db()
    assert key.revoked is True
    assert AuditEvent.objects.filter(
        action="apikey.revoke", organisation_id=organisation.pk
    ).exists()
    bad = client.post(url, {"name": "", "scopes": []})
    assert bad.status_code == 400
    assert OrganisationAPIKey.objects.filter(organisation=organisation).count() == 1
