"""A partner reads only what its scopes allow: never applications, documents or cases; a
partner's endpoints and deliveries are its own; officers manage partners in the admin."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from core.models import AuditEvent
from partners.models import PartnerAdministration, WebhookDelivery
from partners.services.endpoints import endpoint_register
from shippers.models import Membership
from tests.accounts.factories import UserFactory
from tests.partners.factories import known_shipper, partner, partner_client
from tests.partners.receiver import running_receiver

pytestmark = pytest.mark.django_db
ALL_PARTNER_SCOPES = ("verify", "verify:bulk", "notifications", "findings")


def _partner_user(the_partner: PartnerAdministration) -> Client:
    user = UserFactory(roles=["partner"])
    Membership.objects.create(organisation=the_partner.organisation, user=user, role="member")
    client = Client()
    client.force_login(user)
    return client


def test_a_partner_key_reads_no_shipments_profile_or_other_api() -> None:
    client = partner_client(partner(), *ALL_PARTNER_SCOPES)
    assert client.get("/api/v1/shipments/").status_code == 403
    assert client.post("/api/v1/shipments/batches/", {}, format="json").status_code == 403
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_a_partner_user_never_reads_applications_documents_or_cases() -> None:
    from tests.enforcement.factories import officer, open_case

    organisation, certificate = known_shipper()
    document = organisation.documents.first()
    case = open_case(actor=officer(), organisation=organisation)
    client = _partner_user(partner())
    urls = [
        f"/portal/applications/{certificate.application_id}/",
        f"/portal/organisations/{organisation.pk}/",
        f"/portal/cases/{case.pk}/",
    ]
    if document is not None:
        urls.append(f"/portal/documents/{document.pk}/download/")
    for url in urls:
        assert client.get(url).status_code in (403, 404), url


def test_the_endpoints_api_needs_the_notifications_scope_and_shows_the_secret_once(
    settings,
) -> None:  # type: ignore[no-untyped-def]
    the_partner = partner()
    assert (
        partner_client(the_partner, "verify:bulk").get("/api/v1/partners/endpoints/").status_code
        == 403
    )
    client = partner_client(the_partner, "notifications")
    created = client.post(
        "/api/v1/partners/endpoints/",
        {"url": "https://partner.example/hooks", "events": ["certificate.revoked"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["secret"].startswith("whsec_")
    listed = client.get("/api/v1/partners/endpoints/").json()
    assert [row["url"] for row in listed] == ["https://partner.example/hooks"]
    assert "secret" not in listed[0]
    refused = client.post(
        "/api/v1/partners/endpoints/",
        {"url": "http://partner.example/hooks", "events": ["certificate.revoked"]},
        format="json",
    )
    assert refused.status_code == 400
    assert "HTTPS" in refused.json()["error"]["fields"]["url"][0]
    rotated = client.post(f"/api/v1/partners/endpoints/{created.json()['id']}/rotate-secret/")
    assert rotated.status_code == 200
    assert rotated.json()["secret"] != created.json()["secret"]


def test_a_partner_cannot_touch_another_partners_endpoint_or_delivery(
    settings, django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from tests.partners.test_webhooks import _suspend

    settings.PARTNERS_WEBHOOK_ALLOW_LOCAL_HTTP = True
    owner, other = partner("CA"), partner("NZ")
    with running_receiver() as receiver:
        endpoint, _ = endpoint_register(
            partner=owner, url=receiver.url, events=["certificate.suspended"]
        )
        _, certificate = known_shipper()
        _suspend(certificate, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    intruder = partner_client(other, "notifications")
    assert (
        intruder.post(f"/api/v1/partners/endpoints/{endpoint.pk}/rotate-secret/").status_code == 404
    )
    assert intruder.delete(f"/api/v1/partners/endpoints/{endpoint.pk}/").status_code == 404
    assert intruder.post(f"/api/v1/partners/deliveries/{delivery.pk}/replay/").status_code == 404
    assert intruder.get("/api/v1/partners/deliveries/").json()["results"] == []
    mine = partner_client(owner, "notifications")
    with django_assert_max_num_queries(5):
        listed = mine.get("/api/v1/partners/deliveries/").json()["results"]
    assert listed[0]["message_id"] == delivery.message_id
    assert listed[0]["attempts"][0]["succeeded"] is True
    # The portal page: the partner's users see it, others are refused.
    page = _partner_user(owner).get("/partners/deliveries/")
    assert page.status_code == 200
    assert delivery.message_id in page.content.decode()
    assert _partner_user(other).get("/partners/deliveries/").status_code == 200
    assert (
        delivery.message_id
        not in _partner_user(other).get("/partners/deliveries/").content.decode()
    )
    shipper_user = UserFactory(roles=["shipper"])
    client = Client()
    client.force_login(shipper_user)
    assert client.get("/partners/deliveries/").status_code == 403
    assert (
        _partner_user(other).post(f"/partners/deliveries/{delivery.pk}/replay/").status_code == 404
    )


def test_officers_register_partners_in_the_admin_and_shippers_cannot() -> None:
    officer = UserFactory(roles=["officer"])
    TOTP.activate(officer, generate_totp_secret())
    client = Client()
    client.force_login(officer)
    response = client.post(
        "/admin/partners/partneradministration/add/",
        {
            "name": "Canada Border Services Agency",
            "country": "ca",
            "mra_status": "in_force",
            "mra_date": "2024-06-01",
            "contact_name": "MRA desk",
            "contact_email": "mra@example.org",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    the_partner = PartnerAdministration.objects.get()
    assert (the_partner.country, the_partner.organisation.legal_name) == (
        "CA",
        "Canada Border Services Agency",
    )
    assert AuditEvent.objects.get(action="partner.register").actor == officer
    assert client.get("/admin/partners/webhookdelivery/").status_code == 200
    shipper = UserFactory(roles=["shipper"])
    other = Client()
    other.force_login(shipper)
    assert other.get("/admin/partners/partneradministration/add/").status_code == 302  # to login


def test_officers_replay_a_delivery_from_the_admin(
    settings,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    from tests.partners.test_webhooks import _suspend

    settings.PARTNERS_WEBHOOK_ALLOW_LOCAL_HTTP = True
    officer = UserFactory(roles=["officer"])
    TOTP.activate(officer, generate_totp_secret())
    client = Client()
    client.force_login(officer)
    with running_receiver() as receiver:
        endpoint_register(partner=partner(), url=receiver.url, events=["certificate.suspended"])
        _, certificate = known_shipper()
        _suspend(certificate, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get()
        page = client.get(f"/admin/partners/webhookdelivery/{delivery.pk}/change/")
        assert page.status_code == 200
        assert delivery.message_id in page.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/admin/partners/webhookdelivery/",
                {"action": "replay_selected", "_selected_action": [delivery.pk]},
            )
        assert response.status_code == 302
        assert len(receiver.received) == 2
    delivery.refresh_from_db()
    assert delivery.attempt_count == 2
    assert AuditEvent.objects.get(action="partner.delivery_replay").actor == officer


def test_officers_attach_a_partners_official_who_then_sees_the_partner_pages() -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    from partners.services.partners import partner_add_user

    the_partner = partner()
    officer = UserFactory(roles=["officer"])
    official = UserFactory(email="official@cbsa.example")
    membership = partner_add_user(
        actor=officer, partner=the_partner, email="Official@CBSA.example", owner=True
    )
    assert (membership.user, membership.role) == (official, "owner")
    assert official.groups.filter(name="partner").exists()
    assert AuditEvent.objects.get(action="partner.add_user").detail["user"] == official.email
    partner_add_user(actor=officer, partner=the_partner, email=official.email)  # no-op
    assert AuditEvent.objects.filter(action="partner.add_user").count() == 1
    client = Client()
    client.force_login(official)
    assert client.get("/partners/deliveries/").status_code == 200
    with pytest.raises(ValidationError, match="sign up first"):
        partner_add_user(actor=officer, partner=the_partner, email="nobody@example.org")
    with pytest.raises(PermissionDenied):
        partner_add_user(actor=official, partner=the_partner, email=official.email)


def test_the_deliveries_page_reads_a_fixed_number_of_queries(
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from partners.models import DeliveryAttempt

    the_partner = partner()
    endpoint, _ = endpoint_register(
        partner=the_partner, url="https://partner.example/hooks", events=["certificate.revoked"]
    )
    for index in range(6):
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            message_id=WebhookDelivery.new_message_id(),
            event_type="certificate.revoked",
            payload={"index": index},
            give_up_at=timezone.now() + timedelta(days=3),
        )
        for code in (503, 200):
            DeliveryAttempt.objects.create(delivery=delivery, status_code=code)
    client = _partner_user(the_partner)
    with django_assert_max_num_queries(12):
        page = client.get("/partners/deliveries/")
    assert page.status_code == 200
    assert page.content.decode().count("HTTP 503") == 6
