"""Partners' webhook endpoints: registering, changing, rotating the secret, disabling."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from partners import signing
from partners.events import OPT_IN_EVENTS, AuditAction, EventType
from partners.models import PartnerAdministration, WebhookEndpoint

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
MAX_ENDPOINTS = 10


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        raise ValidationError({"url": "Give the endpoint's full URL (https://...)."}) from None
    parts = urlsplit(url)
    if parts.scheme == "http" and not (
        settings.PARTNERS_WEBHOOK_ALLOW_LOCAL_HTTP and parts.hostname in LOCAL_HOSTS
    ):
        raise ValidationError({"url": "The endpoint must use HTTPS."})
    return url


def _clean_events(partner: PartnerAdministration, events: Iterable[str]) -> list[str]:
    chosen = sorted({str(event).strip() for event in events if str(event).strip()})
    unknown = [event for event in chosen if event not in EventType.values]
    if unknown:
        raise ValidationError(
            {
                "events": f"Unknown event(s): {', '.join(unknown)}. "
                f"Known: {', '.join(EventType.values)}."
            }
        )
    if not chosen:
        raise ValidationError({"events": "Choose at least one event."})
    if not partner.receives_findings and OPT_IN_EVENTS & set(chosen):
        raise ValidationError(
            {"events": "Findings and penalty decisions need the administration's opt-in."}
        )
    return chosen


def endpoint_register(
    *,
    partner: PartnerAdministration,
    url: str,
    events: Iterable[str],
    description: str = "",
    actor: Any = None,
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (returned to show the partner once)."""
    cleaned_url = _clean_url(url)
    cleaned_events = _clean_events(partner, events)
    with transaction.atomic():
        PartnerAdministration.objects.select_for_update().get(pk=partner.pk)
        if partner.endpoints.filter(is_active=True).count() >= MAX_ENDPOINTS:
            raise ValidationError({"url": f"At most {MAX_ENDPOINTS} active endpoints."})
        secret = signing.new_secret()
        endpoint = WebhookEndpoint(
            partner=partner,
            url=cleaned_url,
            events=cleaned_events,
            description=(description or "").strip()[:200],
        )
        endpoint.set_secret(secret)
        endpoint.sealed_previous_secret = ""
        endpoint.save()
        audit_record(
            action=AuditAction.ENDPOINT_REGISTER,
            target=endpoint,
            actor=actor,
            organisation_id=partner.organisation_id,
            detail={"url": cleaned_url, "events": cleaned_events},
        )
    return endpoint, secret


def endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    events: Iterable[str] | None = None,
    actor: Any = None,
) -> WebhookEndpoint:
    with transaction.atomic():
        locked = (
            WebhookEndpoint.objects.select_for_update()
            .select_related("partner")
            .get(pk=endpoint.pk)
        )
        before = {"url": locked.url, "events": locked.events}
        if url is not None:
            locked.url = _clean_url(url)
        if events is not None:
            locked.events = _clean_events(locked.partner, events)
        after = {"url": locked.url, "events": locked.events}
        if after == before:
            return locked
        locked.save(update_fields=["url", "events"])
        audit_record(
            action=AuditAction.ENDPOINT_UPDATE,
            target=locked,
            actor=actor,
            organisation_id=locked.partner.organisation_id,
            changes={key: {"before": before[key], "after": after[key]} for key in before},
        )
    return locked


def endpoint_rotate_secret(
    *, endpoint: WebhookEndpoint, actor: Any = None, overlap_hours: int | None = None
) -> tuple[WebhookEndpoint, str]:
    """A new secret; the old one keeps signing (alongside) for the overlap, so the partner
    can switch its receiver without losing a message."""
    hours = (
        settings.PARTNERS_WEBHOOK_SECRET_OVERLAP_HOURS if overlap_hours is None else overlap_hours
    )
    if not 0 <= hours <= 7 * 24:
        raise ValidationError({"overlap_hours": "The overlap is between 0 and 168 hours."})
    with transaction.atomic():
        locked = (
            WebhookEndpoint.objects.select_for_update()
            .select_related("partner")
            .get(pk=endpoint.pk)
        )
        secret = signing.new_secret()
        locked.set_secret(secret)
        locked.previous_secret_until = timezone.now() + timedelta(hours=hours)
        locked.save(
            update_fields=["sealed_secret", "sealed_previous_secret", "previous_secret_until"]
        )
        audit_record(
            action=AuditAction.ENDPOINT_ROTATE_SECRET,
            target=locked,
            actor=actor,
            organisation_id=locked.partner.organisation_id,
            detail={"overlap_until": locked.previous_secret_until},
        )
    return locked, secret


def endpoint_disable(
    *, endpoint: WebhookEndpoint, actor: Any = None, reason: str = ""
) -> WebhookEndpoint:
    with transaction.atomic():
        locked = (
            WebhookEndpoint.objects.select_for_update()
            .select_related("partner")
            .get(pk=endpoint.pk)
        )
        if not locked.is_active:
            return locked
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        audit_record(
            action=AuditAction.ENDPOINT_DISABLE,
            target=locked,
            actor=actor,
            organisation_id=locked.partner.organisation_id,
            changes={"is_active": {"before": True, "after": False}},
            reason=reason,
        )
    return locked
