"""Webhook deliveries: written with the event, attempted with backoff, replayed on request.

A delivery row is created in the transaction of the audit event it reports (so it exists
exactly when the change does) and a delivery task is published through the outbox; the
beat task `deliver_due_webhooks` retries whatever is due. Attempts lease the row (push
`next_attempt_at` past the timeout) before posting, so two workers never post one message
at once, and no transaction stays open during the HTTP call.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.models import AuditEvent
from core.outbox import publish_on_commit
from partners import signing
from partners.events import EVENT_FOR_ACTION, OPT_IN_EVENTS, AuditAction
from partners.models import (
    DeliveryAttempt,
    PartnerAdministration,
    WebhookDelivery,
    WebhookEndpoint,
)
from shippers.models import Certificate, Organisation
from shippers.selectors import verification_record

TASK = "partners.tasks.deliver_webhook"
USER_AGENT = "known-shipper-webhooks/1"


def _certificate_data(event: AuditEvent) -> dict[str, Any] | None:
    certificate = (
        Certificate.objects.select_related("organisation", "application")
        .filter(application_id=event.target_id)
        .first()
    )
    if certificate is None:
        return None
    return verification_record(certificate=certificate)


def _subject_data(event: AuditEvent, organisation: Organisation) -> dict[str, Any]:
    certificate = organisation.certificates.order_by("-issued_at").first()
    data: dict[str, Any] = {
        "legal_name": organisation.legal_name,
        "country": organisation.country,
        "certificate_number": certificate.number if certificate else None,
    }
    if event.action == "shipment.record_finding":
        data["finding"] = {"kind": event.detail.get("kind"), "recorded_at": event.at}
    else:
        stage = "final_decision" if event.action == "case.decide" else "penalty_notice"
        data["penalty"] = {"stage": stage, "case": event.target_label, "decided_at": event.at}
    return data


def _endpoints_for(event_type: str, country: str | None) -> list[WebhookEndpoint]:
    endpoints = WebhookEndpoint.objects.filter(is_active=True).select_related("partner")
    if event_type in OPT_IN_EVENTS:
        endpoints = endpoints.filter(partner__receives_findings=True, partner__country=country)
    # The chosen events are a short JSON list; picked here, as SQLite (the embedded default)
    # has no JSON containment lookup.
    return [endpoint for endpoint in endpoints if event_type in endpoint.events]


def deliveries_for_audit_event(event: AuditEvent) -> list[WebhookDelivery]:
    """The deliveries an audit event causes (none for most events). Runs inside the
    transaction that wrote the event."""
    event_type = EVENT_FOR_ACTION.get(event.action)
    if event_type is None:
        return []
    country, organisation = None, None
    if event_type in OPT_IN_EVENTS:
        if event.organisation_id is None:
            return []
        organisation = Organisation.objects.filter(pk=event.organisation_id).first()
        if (
            organisation is None
            or PartnerAdministration.objects.filter(organisation=organisation).exists()
        ):
            return []
        country = organisation.country
    endpoints = _endpoints_for(event_type, country)
    if not endpoints:
        return []
    data = _certificate_data(event) if organisation is None else _subject_data(event, organisation)
    if data is None:
        return []
    payload = json.loads(
        json.dumps({"type": event_type, "timestamp": event.at, "data": data}, cls=DjangoJSONEncoder)
    )
    now = timezone.now()
    give_up_at = now + timedelta(hours=settings.PARTNERS_WEBHOOK_MAX_AGE_HOURS)
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            message_id=WebhookDelivery.new_message_id(),
            event_type=event_type,
            payload=payload,
            audit_event_id=event.pk,
            next_attempt_at=now,
            give_up_at=give_up_at,
            created_at=now,
        )
        for endpoint in endpoints
    )
    for delivery in deliveries:
        publish_on_commit(TASK, args=[delivery.pk])
    return deliveries


def retry_delay(attempt_count: int) -> timedelta:
    """Exponential backoff: base, 2 x base, 4 x base... capped."""
    seconds = settings.PARTNERS_WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempt_count - 1, 0)
    return timedelta(seconds=min(seconds, settings.PARTNERS_WEBHOOK_RETRY_CAP_SECONDS))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _post(endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> tuple[int | None, str]:
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    headers = signing.headers(
        secrets_in_force=endpoint.signing_secrets(),
        message_id=delivery.message_id,
        timestamp=int(time.time()),
        body=body,
    )
    request = urllib.request.Request(  # noqa: S310 - https, or http to localhost in development
        endpoint.url, data=body, headers={**headers, "user-agent": USER_AGENT}, method="POST"
    )
    try:
        # The URL was checked when registered: https, or http to localhost in development.
        timeout = settings.PARTNERS_WEBHOOK_TIMEOUT_SECONDS
        with _OPENER.open(request, timeout=timeout) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, str(getattr(error, "reason", error))[:500]


def _claim(delivery_id: int, *, force: bool) -> WebhookDelivery | None:
    lease = timedelta(seconds=settings.PARTNERS_WEBHOOK_TIMEOUT_SECONDS + 30)
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        now = timezone.now()
        if delivery is None or (not force and delivery.next_attempt_at > now):
            return None
        if not delivery.endpoint.is_active:
            return None
        delivery.next_attempt_at = now + lease
        delivery.save(update_fields=["next_attempt_at"])
    return delivery


def delivery_attempt(*, delivery_id: int, force: bool = False) -> str:
    """Post a due delivery once and record the attempt. Returns the delivery's status
    afterwards; a delivery not due (or done, or being attempted) is left alone."""
    delivery = _claim(delivery_id, force=force)
    if delivery is None:
        return "skipped"
    started = time.monotonic()
    status_code, error = _post(delivery.endpoint, delivery)
    duration_ms = int((time.monotonic() - started) * 1000)
    succeeded = status_code is not None and 200 <= status_code < 300
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        now = timezone.now()
        DeliveryAttempt.objects.create(
            delivery=locked,
            attempted_at=now,
            status_code=status_code,
            error=error,
            duration_ms=duration_ms,
            succeeded=succeeded,
        )
        locked.attempt_count += 1
        if succeeded:
            locked.status, locked.delivered_at = WebhookDelivery.Status.DELIVERED, now
        else:
            locked.next_attempt_at = now + retry_delay(locked.attempt_count)
            if locked.next_attempt_at > locked.give_up_at:
                locked.status = WebhookDelivery.Status.FAILED
        locked.save(update_fields=["attempt_count", "status", "delivered_at", "next_attempt_at"])
    return str(locked.status)


def deliveries_due(*, limit: int = 200) -> list[int]:
    return list(
        WebhookDelivery.objects.due()
        .filter(endpoint__is_active=True)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def delivery_replay(
    *, delivery: WebhookDelivery, actor: Any = None, partner: PartnerAdministration | None = None
) -> WebhookDelivery:
    """Send a delivery again (whatever its status) from now, with a fresh retry window. A
    partner replays only its own deliveries."""
    with transaction.atomic():
        locked = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint__partner")
            .get(pk=delivery.pk)
        )
        if partner is not None and locked.endpoint.partner_id != partner.pk:
            raise PermissionDenied("This delivery belongs to another administration.")
        before = locked.status
        now = timezone.now()
        locked.status = WebhookDelivery.Status.PENDING
        locked.next_attempt_at = now
        locked.give_up_at = now + timedelta(hours=settings.PARTNERS_WEBHOOK_MAX_AGE_HOURS)
        locked.save(update_fields=["status", "next_attempt_at", "give_up_at"])
        audit_record(
            action=AuditAction.DELIVERY_REPLAY,
            target=locked,
            target_label=f"Webhook {locked.message_id}",
            actor=actor,
            organisation_id=locked.endpoint.partner.organisation_id,
            changes={"status": {"before": before, "after": locked.status}},
        )
        publish_on_commit(TASK, args=[locked.pk])
    return locked
