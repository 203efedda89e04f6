"""Signed notifications: written with the event, delivered to a real local receiver that
checks the Standard Webhooks signature, retried through an outage, replayed, rotated."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import AuditEvent, OutboxMessage
from partners import signing
from partners.models import WebhookDelivery
from partners.services.deliveries import delivery_attempt, delivery_replay, retry_delay
from partners.services.endpoints import endpoint_register, endpoint_rotate_secret
from partners.tasks import deliver_due_webhooks
from shippers import services as shipper_services
from shippers.models import Application
from tests.partners.factories import known_shipper, officer, partner
from tests.partners.receiver import Receiver, running_receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:  # type: ignore[no-untyped-def]
    settings.PARTNERS_WEBHOOK_ALLOW_LOCAL_HTTP = True
    with running_receiver() as running:
        yield running


def _suspend(certificate, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    application = Application.objects.get(pk=certificate.application_id)
    with django_capture_on_commit_callbacks(execute=True):
        shipper_services.application_suspend(
            actor=officer(), application=application, reason="Examination found undeclared goods."
        )


def test_a_suspension_reaches_the_receiver_signed(
    receiver, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    the_partner = partner()
    _endpoint, secret = endpoint_register(
        partner=the_partner, url=receiver.url, events=["certificate.suspended"]
    )
    receiver.secrets = [secret]
    _, certificate = known_shipper()
    _suspend(certificate, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempt_count) == ("delivered", 1)
    event = AuditEvent.objects.get(action="application.suspend")
    assert delivery.audit_event_id == event.pk
    [message] = receiver.verified()
    assert message["headers"]["webhook-id"] == delivery.message_id
    body = json.loads(message["body"])
    assert body["type"] == "certificate.suspended"
    assert body["data"]["certificate_number"] == certificate.number
    assert body["data"]["status"] == "suspended"
    assert "reason" not in body["data"]  # officers' reasons are not sent


def test_the_delivery_row_is_written_with_the_event_or_not_at_all(receiver) -> None:  # type: ignore[no-untyped-def]
    endpoint_register(partner=partner(), url=receiver.url, events=["certificate.suspended"])
    _, certificate = known_shipper()
    application = Application.objects.get(pk=certificate.application_id)
    seen: list[tuple[int, bool]] = []

    def suspend_then_fail() -> None:
        with transaction.atomic():
            shipper_services.application_suspend(
                actor=officer(), application=application, reason="x"
            )
            outbox = OutboxMessage.objects.filter(task_name="partners.tasks.deliver_webhook")
            seen.append((WebhookDelivery.objects.count(), outbox.exists()))
            raise RuntimeError("the change is rolled back")

    with pytest.raises(RuntimeError):
        suspend_then_fail()
    assert seen == [(1, True)]
    assert not WebhookDelivery.objects.exists()


def test_only_the_events_chosen_are_sent(receiver, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    endpoint_register(partner=partner(), url=receiver.url, events=["certificate.revoked"])
    _, certificate = known_shipper()
    _suspend(certificate, django_capture_on_commit_callbacks)
    assert not WebhookDelivery.objects.exists()
    assert receiver.received == []


def test_an_outage_is_retried_with_backoff_until_the_receiver_recovers(
    receiver, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.PARTNERS_WEBHOOK_RETRY_BASE_SECONDS = 30
    _, secret = endpoint_register(
        partner=partner(), url=receiver.url, events=["certificate.suspended"]
    )
    receiver.secrets, receiver.status = [secret], 503
    _, certificate = known_shipper()
    _suspend(certificate, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempt_count) == ("pending", 1)
    first_retry = delivery.next_attempt_at
    assert timedelta(seconds=25) < first_retry - timezone.now() <= timedelta(seconds=30)
    # Not due yet: the beat task leaves it alone.
    assert deliver_due_webhooks() == 0
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert deliver_due_webhooks() == 1
    delivery.refresh_from_db()
    assert delivery.attempt_count == 2
    assert (
        timedelta(seconds=55) < delivery.next_attempt_at - timezone.now() <= timedelta(seconds=60)
    )
    receiver.status = 200  # the receiver is back
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert deliver_due_webhooks() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count) == ("delivered", 3)
    assert [a.status_code for a in delivery.attempts.all()] == [503, 503, 200]
    # Every attempt carried the same message id and a valid signature.
    assert {m["headers"]["webhook-id"] for m in receiver.received} == {delivery.message_id}
    assert len(receiver.verified()) == 3
    # Done is done: running it again posts nothing.
    assert delivery_attempt(delivery_id=delivery.pk) == "skipped"
    assert len(receiver.received) == 3


def test_a_delivery_gives_up_after_the_maximum_age(
    receiver, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    receiver.status = 500
    endpoint_register(partner=partner(), url=receiver.url, events=["certificate.suspended"])
    _, certificate = known_shipper()
    _suspend(certificate, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now(), give_up_at=timezone.now() + timedelta(seconds=5)
    )
    assert delivery_attempt(delivery_id=delivery.pk) == "failed"
    assert deliver_due_webhooks() == 0
    assert retry_delay(1) == timedelta(seconds=30)
    assert retry_delay(20) == timedelta(hours=6)


def test_a_refused_connection_is_an_attempt_with_its_error(
    settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.PARTNERS_WEBHOOK_ALLOW_LOCAL_HTTP = True
    with running_receiver() as gone:
        url = gone.url
    endpoint_register(partner=partner(), url=url, events=["certificate.suspended"])
    _, certificate = known_shipper()
    _suspend(certificate, django_capture_on_commit_callbacks)
    attempt = WebhookDelivery.objects.get().attempts.get()
    assert attempt.status_code is None
    assert "refused" in attempt.error.lower()


def test_a_replay_sends_the_same_message_again(
    receiver, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    the_partner = partner()
    _, secret = endpoint_register(
        partner=the_partner, url=receiver.url, events=["certificate.suspended"]
    )
    receiver.secrets = [secret]
    _, certificate = known_shipper()
    _suspend(certificate, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        delivery_replay(delivery=delivery, partner=the_partner)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count) == ("delivered", 2)
    assert [m["headers"]["webhook-id"] for m in receiver.verified()] == [delivery.message_id] * 2
    assert AuditEvent.objects.filter(action="partner.delivery_replay").count() == 1
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        delivery_replay(delivery=delivery, partner=partner("NZ"))


def test_a_rotated_secret_signs_alongside_the_old_one_during_the_overlap(
    receiver, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    endpoint, old = endpoint_register(
        partner=partner(), url=receiver.url, events=["certificate.suspended"]
    )
    endpoint, new = endpoint_rotate_secret(endpoint=endpoint, overlap_hours=24)
    assert new != old
    assert new.startswith("whsec_")
    receiver.secrets = [old, new]
    _, certificate = known_shipper()
    _suspend(certificate, django_capture_on_commit_callbacks)
    [message] = receiver.received
    assert message["verified_by"] == [old, new]
    assert len(message["headers"]["webhook-signature"].split()) == 2
    # After the overlap only the new secret signs.
    assert endpoint.signing_secrets(now=timezone.now() + timedelta(hours=25)) == [new]


def test_findings_go_only_to_partners_that_opted_in_for_their_country(
    receiver, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from core.audit import audit_record

    canada = partner("CA", receives_findings=True)
    endpoint_register(partner=canada, url=receiver.url, events=["examination.finding"])
    with pytest.raises(ValidationError, match="opt-in"):
        endpoint_register(partner=partner("NZ"), url=receiver.url, events=["examination.finding"])
    canadian, _ = known_shipper(legal_name="Maple Crate Exporters Inc.", country="CA")
    british, _ = known_shipper(legal_name="Harbourline Parcels Ltd", country="GB")
    for organisation in (canadian, british):
        # The event the shipments app records for a finding (shipments.officers).
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            audit_record(
                action="shipment.record_finding",
                target_type="shipments.shipment",
                target_id="1",
                organisation_id=organisation.pk,
                detail={"kind": "undervalued", "finding": 1},
            )
    delivery = WebhookDelivery.objects.get()
    assert delivery.payload["data"]["legal_name"] == "Maple Crate Exporters Inc."
    assert delivery.payload["data"]["finding"]["kind"] == "undervalued"
    assert len(receiver.received) == 1


def test_production_endpoints_must_use_https(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PARTNERS_WEBHOOK_ALLOW_LOCAL_HTTP = False
    with pytest.raises(ValidationError, match="HTTPS"):
        endpoint_register(
            partner=partner(), url="http://127.0.0.1:9/hooks", events=["certificate.issued"]
        )
    settings.PARTNERS_WEBHOOK_ALLOW_LOCAL_HTTP = True
    with pytest.raises(ValidationError, match="HTTPS"):
        endpoint_register(
            partner=partner(), url="http://partner.example/hooks", events=["certificate.issued"]
        )
    with pytest.raises(ValidationError, match="Unknown event"):
        endpoint_register(
            partner=partner(), url="https://partner.example/hooks", events=["application.read"]
        )


def test_the_signature_is_the_standard_webhooks_one() -> None:
    # The example of the Standard Webhooks specification (and its reference libraries).
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    message_id, timestamp = "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330
    body = b'{"test": 2432232314}'
    assert (
        signing.sign(secret=secret, message_id=message_id, timestamp=timestamp, body=body)
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )
    headers = {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    }
    assert signing.verify(secret=secret, headers=headers, body=body, now=timestamp + 10)
    assert not signing.verify(secret=secret, headers=headers, body=body + b" ", now=timestamp)
    assert not signing.verify(secret=secret, headers=headers, body=body, now=timestamp + 3600)


def test_an_approval_through_the_services_announces_the_certificate(
    receiver,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    from tests.enforcement.factories import approved_respondent
    from tests.enforcement.factories import officer as enforcement_officer

    _, secret = endpoint_register(
        partner=partner(), url=receiver.url, events=["certificate.issued"]
    )
    receiver.secrets = [secret]
    with django_capture_on_commit_callbacks(execute=True):
        _, organisation, application = approved_respondent(enforcement_officer())
    [message] = receiver.verified()
    body = json.loads(message["body"])
    assert body["type"] == "certificate.issued"
    assert body["data"]["certificate_number"] == application.certificate.number
    assert body["data"]["legal_name"] == organisation.legal_name


def test_a_penalty_notice_reaches_a_partner_of_the_shippers_country(
    receiver,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    from tests.enforcement.factories import case_at
    from tests.enforcement.factories import officer as enforcement_officer

    endpoint_register(
        partner=partner("GB", receives_findings=True), url=receiver.url, events=["penalty.decision"]
    )
    organisation, _ = known_shipper(legal_name="Harbourline Parcels Ltd", country="GB")
    with django_capture_on_commit_callbacks(execute=True):
        case_at("penalty", actor=enforcement_officer(), organisation=organisation)
    delivery = WebhookDelivery.objects.get()
    assert delivery.event_type == "penalty.decision"
    assert delivery.payload["data"]["penalty"]["stage"] == "penalty_notice"
    assert delivery.payload["data"]["legal_name"] == "Harbourline Parcels Ltd"
    assert (delivery.status, len(receiver.received)) == ("delivered", 1)
